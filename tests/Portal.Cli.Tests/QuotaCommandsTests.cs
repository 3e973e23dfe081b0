using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Cli.Tests;

/// <summary><c>portal</c> refused past a quota: the portal's message (quota, limit, current use) is printed and the exit code is 1.</summary>
public sealed class QuotaCommandsTests(CliPortal portal) : IClassFixture<CliPortal>
{
    private const string Model = "llama-3.1-8b-instruct";

    [Fact]
    public async Task DeployAndKeysCreate_PastAQuota_PrintTheQuotaAndExitOne()
    {
        using var cli = new CliRun();
        var login = await cli.RunAsync("login", "--portal", portal.Url, "--client-id", PortalApp.ClientId, "--client-secret", PortalApp.ClientSecret);
        Assert.True(login.ExitCode == 0, login.ToString());

        var huge = await cli.RunAsync("deploy", "--name", "huge", "--model", Model, "--gpu", "h100-80gb", "--region", "us-east",
            "--replicas", "100000", "--no-wait");
        Assert.True(huge.ExitCode == 1, huge.ToString());
        Assert.Contains("quota 'replicas per deployment' is 16; requested 100000 baseline replicas.", huge.Error);

        await SetQuotasAsync(new { gpusInUse = 1, apiKeys = 0 });
        var burst = await cli.RunAsync("deploy", "--name", "burst", "--model", Model, "--gpu", "h100-80gb", "--region", "us-east",
            "--replicas", "1", "--max-replicas", "2", "--no-wait");
        var key = await cli.RunAsync("keys", "create", "app");

        Assert.True(burst.ExitCode == 1, burst.ToString());
        Assert.Contains("quota 'GPUs in use' is 1; 0 in use by other deployments, this one claims 2 (2 replicas at most, burst included, × 1 GPUs).", burst.Error);
        Assert.True(key.ExitCode == 1, key.ToString());
        Assert.Contains("quota 'API keys' is 0; 0 in use, so one more would exceed it.", key.Error);
    }

    private async Task SetQuotasAsync(object quotas)
    {
        using var http = portal.App.NewClient();
        await http.SignInAsync("operator@portal.local");
        using var admin = portal.App.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var tenant = (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Demo Inc.").GetProperty("id").GetGuid();
        var set = await http.PutAsJsonAsync($"api/v1/platform/tenants/{tenant}/quotas", quotas);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
    }
}
