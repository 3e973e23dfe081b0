using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Gateway;
using Portal.Core.Tenancy;
using Portal.Gateway.Seams;
using Portal.Identity;
using Portal.Observability;
using Portal.Tests.Support;

namespace Portal.Tests.Observability;

/// <summary>
/// The TTFT page computes a window's figures once and shares them between page loads for
/// <c>Observability:SharedReportSeconds</c> (a minute here, so the test never races it): each tenant's own, and computed
/// again once that time has passed on the portal's clock.
/// </summary>
public sealed partial class SharedFiguresTests : IAsyncLifetime
{
    private const string Model = "shared-name-model";
    private readonly ShiftableClock _clock = new();
    private readonly PortalApp _app;

    public SharedFiguresTests() => _app = new PortalApp().With("Observability:SharedReportSeconds", "60").WithClock(_clock);

    public Task InitializeAsync() => ((IAsyncLifetime)_app).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task TwoTenantsWithOneModelName_EachSeeTheirOwnFigures_AndANewSampleShowsOnceTheSharingTimeHasPassed()
    {
        using var admin = _app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var tenants = (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("id").GetGuid());
        var demo = tenants["Demo Inc."];
        var acme = tenants["Acme Research"];
        var demoEndpoint = await CreateEndpointAsync(admin, demo);
        var acmeEndpoint = await CreateEndpointAsync(admin, acme);
        await WriteAsync(demo, demoEndpoint, 3);
        await WriteAsync(acme, acmeEndpoint, 7);

        Assert.Equal(3, await CountOnPageAsync(admin, demo));
        Assert.Equal(7, await CountOnPageAsync(admin, acme));
        var page = await PageAsync(admin, demo);
        Assert.Equal(3, Count(page));
        Assert.Contains("open pages share them for up to 60 s", page);

        await WriteAsync(demo, demoEndpoint, 1);
        Assert.Equal(3, await CountOnPageAsync(admin, demo)); // still the shared figures: the minute has not passed

        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(4, await CountOnPageAsync(admin, demo));
        Assert.Equal(7, await CountOnPageAsync(admin, acme));
    }

    [Fact]
    public async Task SharedFigures_GoOnlyToCallersWhoMayReadTheTenant_OneComputationServesConcurrentCallers_AndAFailureIsNotShared()
    {
        var shared = _app.Services.GetRequiredService<SharedReports>();
        var tenant = Guid.NewGuid();
        var member = new Caller("member", "Member", IsClient: false, IsSupport: false, [new TenantAccess(tenant, "T", TenantRole.Developer)]);
        var outsider = new Caller("outsider", "Outsider", IsClient: false, IsSupport: false, []);
        var computations = 0;
        var release = new TaskCompletionSource();
        async Task<string> Compute(CancellationToken ct)
        {
            Interlocked.Increment(ref computations);
            await release.Task;
            return $"figures {computations}";
        }

        Assert.Null(await shared.GetAsync(outsider, tenant, "filters", Compute));
        Assert.Equal(0, computations);

        var waiting = Enumerable.Range(0, 10).Select(_ => shared.GetAsync(member, tenant, "filters", Compute)).ToList();
        release.SetResult();
        var answers = await Task.WhenAll(waiting);
        Assert.Equal(1, computations);
        Assert.All(answers, a => Assert.Equal("figures 1", a));
        Assert.Null(await shared.GetAsync(outsider, tenant, "filters", Compute)); // shared figures exist, still not for an outsider

        _clock.Advance(shared.Staleness + TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<InvalidOperationException>(() => shared.GetAsync<string>(member, tenant, "filters", async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("database gone");
        }));
        Assert.Equal("figures 2", await shared.GetAsync(member, tenant, "filters", Compute));
    }

    private static async Task<(Guid Id, Guid TargetId)> CreateEndpointAsync(HttpClient client, Guid tenantId)
    {
        var created = await client.PostAsJsonAsync($"api/v1/endpoints/serverless?tenantId={tenantId}", new
        {
            name = Model, target = new { baseUrl = "http://127.0.0.1:9/v1", upstreamModel = Model, region = "us-east", inputPricePerMillion = 0.2m, outputPricePerMillion = 0.6m },
        });
        created.EnsureSuccessStatusCode();
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetGuid(), body.GetProperty("primary").GetProperty("id").GetGuid());
    }

    private async Task WriteAsync(Guid tenantId, (Guid Id, Guid TargetId) endpoint, int count)
    {
        var at = _clock.GetUtcNow().AddMinutes(-2);
        await _app.Services.GetRequiredService<ISampleSink>().WriteBatchAsync(Enumerable.Range(0, count).Select(i => new RequestSample
        {
            Timestamp = at.AddSeconds(i), TenantId = tenantId, KeyId = Guid.NewGuid(), Operation = GatewayOperation.Chat, Model = Model,
            EndpointId = endpoint.Id, TargetId = endpoint.TargetId, Tier = TargetKind.Serverless, Region = "us-east", StatusCode = 200, Streamed = true,
            TtftMs = 200 + i, EndToEndMs = 400 + i, PromptTokens = 10, CompletionTokens = 5, Attempts = 1,
        }).ToList(), CancellationToken.None);
    }

    /// <summary>The page as the signed-in person sees it with <paramref name="tenantId"/> chosen in the tenant switcher.</summary>
    private static async Task<string> PageAsync(HttpClient client, Guid tenantId)
    {
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync($"account/tenant/{tenantId}")).StatusCode);
        return await client.GetStringAsync($"observability?model={Model}&window=1h");
    }

    private static async Task<long> CountOnPageAsync(HttpClient client, Guid tenantId) => Count(await PageAsync(client, tenantId));

    private static long Count(string page)
    {
        var match = RequestCount().Match(page);
        Assert.True(match.Success, "the page shows its request count");
        return long.Parse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("data-testid=\"ttft-count\">([0-9,]+)<")]
    private static partial Regex RequestCount();
}
