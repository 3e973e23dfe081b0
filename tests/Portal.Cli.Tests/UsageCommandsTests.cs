using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Gateway;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Tests.Support;
using Portal.Usage;

namespace Portal.Cli.Tests;

/// <summary><c>portal usage</c> and <c>portal budgets</c> against the real portal.</summary>
public sealed class UsageCommandsTests(CliPortal portal) : IClassFixture<CliPortal>
{
    private const string Endpoint = "cli-usage-chat";

    private string[] Login() =>
        ["login", "--portal", portal.Url, "--client-id", PortalApp.ClientId, "--client-secret", PortalApp.ClientSecret];

    [Fact]
    public async Task Usage_ShowsTheMonthByEndpoint_AsATableJsonAndCsv_AndBudgetsAreSetListedAndRemoved()
    {
        await AddServerlessUsageAsync(requests: 3); // 3 × (1 M in × $1 + 0.5 M out × $2) = $6
        using var cli = new CliRun();
        Assert.Equal(0, (await cli.RunAsync(Login())).ExitCode);

        var table = await cli.RunAsync("usage", "--by", "endpoint");
        Assert.True(table.ExitCode == 0, table.ToString());
        var row = table.Output.Split('\n').Single(l => l.StartsWith(Endpoint, StringComparison.Ordinal));
        Assert.Contains(" 3 ", row);
        Assert.Contains(" 6 ", row);

        var json = JsonDocument.Parse((await cli.RunAsync("usage", "--by", "endpoint", "--output", "json")).Output).RootElement;
        var line = json.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("label").GetString() == Endpoint);
        Assert.Equal(6m, line.GetProperty("serverlessUsd").GetDecimal());
        Assert.Equal(2m, line.GetProperty("usdPerRequest").GetDecimal());

        var csv = await cli.RunAsync("usage", "--by", "endpoint", "--csv");
        Assert.True(csv.ExitCode == 0, csv.ToString());
        Assert.StartsWith("group,label,requests,", csv.Output);
        Assert.True(csv.Output.Contains($",{Endpoint},3,0,3000000,1500000,0,0,0,6,6,", StringComparison.Ordinal), csv.Output);

        var bad = await cli.RunAsync("usage", "--month", "2026-13");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("month", bad.Error);

        var set = await cli.RunAsync("budgets", "set", "--endpoint", Endpoint, "--monthly-usd", "10", "--alert-at", "50,90");
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Contains($"Budget of {Endpoint}: 10 USD a month, alerts at 50, 90 %.", set.Output);
        var listed = await cli.RunAsync("budgets", "list");
        Assert.Contains("60 %", listed.Output.Split('\n').Single(l => l.StartsWith(Endpoint, StringComparison.Ordinal)));
        var refused = await cli.RunAsync("budgets", "set", "--monthly-usd", "0");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("monthlyUsd", refused.Error);
        var removed = await cli.RunAsync("budgets", "remove", "--endpoint", Endpoint);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Contains("removed", removed.Output);
    }

    private async Task AddServerlessUsageAsync(int requests)
    {
        await using var scope = portal.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var tenant = await db.Tenants.SingleAsync(t => t.Name == "Demo Inc.");
        var now = DateTimeOffset.UtcNow;
        var target = new Target
        {
            TenantId = tenant.Id, Name = Endpoint, Kind = TargetKind.Serverless, BaseUrl = "https://api.example.com/v1/", UpstreamModel = "vendor-model",
            Region = "us-east", InputPricePerMillion = 1m, OutputPricePerMillion = 2m, CreatedAt = now,
        };
        var endpoint = new InferenceEndpoint { TenantId = tenant.Id, Name = Endpoint, PrimaryTargetId = target.Id, CreatedAt = now };
        db.Targets.Add(target);
        db.Endpoints.Add(endpoint);
        for (var i = 0; i < requests; i++)
        {
            db.RequestSamples.Add(new RequestSampleRow
            {
                Timestamp = now.AddSeconds(-i), TenantId = tenant.Id, KeyId = Guid.NewGuid(), Operation = GatewayOperation.Chat, Model = Endpoint,
                EndpointId = endpoint.Id, TargetId = target.Id, Tier = TargetKind.Serverless, StatusCode = 200, Streamed = true, EndToEndMs = 100,
                PromptTokens = 1_000_000, CompletionTokens = 500_000, Attempts = 1,
            });
        }

        await db.SaveChangesAsync();
        await scope.ServiceProvider.GetRequiredService<UsageDayJob>().WriteDayAsync(DateOnly.FromDateTime(now.UtcDateTime), CancellationToken.None);
    }
}
