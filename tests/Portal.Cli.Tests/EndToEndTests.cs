using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Cli.Tests;

/// <summary><c>portal</c> against the real portal on loopback: client credentials, a simulator-backed deployment, the audit log.</summary>
public sealed class EndToEndTests(CliPortal portal) : IClassFixture<CliPortal>
{
    private const string Model = "llama-3.1-8b-instruct";

    private string[] Login() =>
        ["login", "--portal", portal.Url, "--client-id", PortalApp.ClientId, "--client-secret", PortalApp.ClientSecret];

    [Fact]
    public async Task ClientCredentials_DeployUntilReady_ThenExportAndVerifyTheAuditLog()
    {
        using var cli = new CliRun();
        var login = await cli.RunAsync(Login());
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("Logged in to", login.Output);
        Assert.Contains("TenantAdmin", login.Output);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.CredentialsPath));
        }

        // No --portal from here on: the portal last logged in to.
        var deploy = await cli.RunAsync("deploy", "--name", "cli-chat", "--model", Model, "--gpu", "h100-80gb", "--region", "us-east");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains("waiting for Ready", deploy.Output);
        Assert.Contains("replica.ready", deploy.Output);
        Assert.Contains("Status:   Ready", deploy.Output);

        var list = await cli.RunAsync("deployments", "list", "--output", "json");
        Assert.True(list.ExitCode == 0, list.ToString());
        var listed = Assert.Single(JsonDocument.Parse(list.Output).RootElement.EnumerateArray(), d => d.GetProperty("name").GetString() == "cli-chat");
        Assert.Equal("Ready", listed.GetProperty("status").GetString());
        Assert.Equal(1, listed.GetProperty("readyReplicas").GetInt32());

        var show = await cli.RunAsync("deployments", "show", "cli-chat");
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("Ready", show.Output);
        Assert.Contains("http://127.0.0.1:", show.Output);

        var key = await cli.RunAsync("audit", "keys", "-o", cli.PathOf("audit-keys.json"));
        Assert.True(key.ExitCode == 0, key.ToString());
        var from = DateTimeOffset.UtcNow.AddHours(-1).ToString("O");
        var export = await cli.RunAsync("audit", "export", "--from", from, "--format", "jsonl", "-o", cli.PathOf("audit.jsonl"));
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains("cli-chat", await File.ReadAllTextAsync(cli.PathOf("audit.jsonl")));

        var verify = await cli.RunAsync("audit", "verify", cli.PathOf("audit.jsonl"), "--keys", cli.PathOf("audit-keys.json"));
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.StartsWith("OK:", verify.Output);
        Assert.Contains("contiguous for from=", verify.Output);

        var csv = await cli.RunAsync("audit", "export", "--format", "csv", "-o", cli.PathOf("audit.csv"));
        Assert.True(csv.ExitCode == 0, csv.ToString());
        Assert.Contains("cli-chat", await File.ReadAllTextAsync(cli.PathOf("audit.csv")));

        var stop = await cli.RunAsync("deployments", "stop", "cli-chat", "--output", "json");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Equal("Stopped", JsonDocument.Parse(stop.Output).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task RefusedDeployment_PrintsTheServersReasons_AndExitsOne()
    {
        // The CI form: credentials from the environment, nothing stored.
        using var cli = new CliRun(new()
        {
            ["PORTAL_URL"] = portal.Url,
            ["PORTAL_CLIENT_ID"] = PortalApp.ClientId,
            ["PORTAL_CLIENT_SECRET"] = PortalApp.ClientSecret,
        });

        var refused = await cli.RunAsync("deploy", "--name", "cli-refused", "--model", Model, "--gpu", "h100-80gb", "--region", "us-east",
            "--replicas", "0", "--max-replicas", "1", "--no-wait");

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("The request is not valid (400)", refused.Error);
        Assert.Contains("Baseline replicas must be at least 1 (got 0)", refused.Error);
        Assert.False(File.Exists(cli.CredentialsPath));

        var list = await cli.RunAsync("deployments", "list", "--output", "json");
        Assert.DoesNotContain(JsonDocument.Parse(list.Output).RootElement.EnumerateArray(), d => d.GetProperty("name").GetString() == "cli-refused");
    }

    [Fact]
    public async Task Keys_CreateListRevoke_WithJsonOutputThatParses()
    {
        using var cli = new CliRun();
        Assert.Equal(0, (await cli.RunAsync(Login())).ExitCode);

        var created = await cli.RunAsync("keys", "create", "cli-smoke", "--expires-in-days", "1", "--output", "json");
        Assert.True(created.ExitCode == 0, created.ToString());
        var body = JsonDocument.Parse(created.Output).RootElement;
        var id = body.GetProperty("key").GetProperty("id").GetString()!;
        Assert.False(string.IsNullOrEmpty(body.GetProperty("secret").GetString()));

        var list = await cli.RunAsync("keys", "list", "--output", "json");
        Assert.Contains(JsonDocument.Parse(list.Output).RootElement.EnumerateArray(), k => k.GetProperty("id").GetString() == id);
        var table = await cli.RunAsync("keys", "list");
        Assert.Contains("cli-smoke", table.Output);
        Assert.Contains("expires", table.Output);

        var revoked = await cli.RunAsync("keys", "revoke", id);
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        Assert.Contains("revoked", revoked.Output);

        var unknown = await cli.RunAsync("keys", "revoke", Guid.NewGuid().ToString());
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("(404)", unknown.Error);

        var whoami = await cli.RunAsync("whoami", "--output", "json");
        Assert.Equal("client", JsonDocument.Parse(whoami.Output).RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task UsageErrors_ExitTwo()
    {
        using var cli = new CliRun();

        var noPortal = await cli.RunAsync("deployments", "list");
        Assert.Equal(2, noPortal.ExitCode);
        Assert.Contains("No portal named", noPortal.Error);

        var notLoggedIn = await cli.RunAsync("deployments", "list", "--portal", portal.Url);
        Assert.Equal(2, notLoggedIn.ExitCode);
        Assert.Contains("Not logged in", notLoggedIn.Error);

        var badOption = await cli.RunAsync("deploy", "--replicas", "many");
        Assert.Equal(2, badOption.ExitCode);

        var missing = await cli.RunAsync("deploy", "--portal", portal.Url, "--name", "x");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("Missing --model, --gpu, --region", missing.Error);
    }

    [Fact]
    public async Task Ttft_OfADeployedModel_PrintsPercentilesAndAHistogram()
    {
        using var cli = new CliRun();
        Assert.Equal(0, (await cli.RunAsync(Login())).ExitCode);
        var deploy = await cli.RunAsync("deploy", "--name", "cli-ttft", "--model", Model, "--gpu", "h100-80gb", "--region", "us-east",
            "--output", "json");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        // Programs call an endpoint by its name, which is the deployment's name.
        var served = JsonDocument.Parse(deploy.Output).RootElement.GetProperty("deployment").GetProperty("name").GetString()!;

        var key = JsonDocument.Parse((await cli.RunAsync("keys", "create", "cli-ttft", "--output", "json")).Output).RootElement
            .GetProperty("secret").GetString()!;
        using var http = portal.App.NewClient();
        for (var i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { model = served, messages = new[] { new { role = "user", content = "hi" } }, max_tokens = 4, stream = true }),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            (await SendUntilRoutedAsync(http, request)).EnsureSuccessStatusCode();
        }

        // Samples reach the database in batches shortly after each answer.
        for (var wait = 0; wait < 40 && !(await cli.RunAsync("ttft", served, "--window", "1h")).Output.Contains("5 requests"); wait++)
        {
            await Task.Delay(250);
        }

        var ttft = await cli.RunAsync("ttft", served, "--window", "1h");
        Assert.True(ttft.ExitCode == 0, ttft.ToString());
        Assert.Contains("5 requests", ttft.Output);
        Assert.Contains("p99:", ttft.Output);
        Assert.Contains("#", ttft.Output);

        var json = await cli.RunAsync("ttft", served, "--window", "1h", "--output", "json");
        Assert.Equal(5, JsonDocument.Parse(json.Output).RootElement.GetProperty("count").GetInt32());
    }

    /// <summary>The routing snapshot picks up a replica that just became Ready within a couple of seconds.</summary>
    private static async Task<HttpResponseMessage> SendUntilRoutedAsync(HttpClient http, HttpRequestMessage request)
    {
        var body = await request.Content!.ReadAsStringAsync();
        for (var attempt = 0; ; attempt++)
        {
            using var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            copy.Headers.Authorization = request.Headers.Authorization;
            var response = await http.SendAsync(copy);
            if (response.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable || attempt >= 20)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(250);
        }
    }
}
