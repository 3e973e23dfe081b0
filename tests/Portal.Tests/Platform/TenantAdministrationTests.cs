using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Tests.Platform;

/// <summary>
/// Tenant management over /api/v1/platform/tenants: a platform operator creates, renames, suspends, resumes and deletes
/// tenants and sets their allowed regions, each step in the platform's audit trail; support staff and tenant members are
/// refused with 403, and support keeps its read-only look-ins.
/// </summary>
public sealed class TenantAdministrationTests(PortalApp app) : IClassFixture<PortalApp>, IAsyncLifetime
{
    private const string Path = "api/v1/platform/tenants";
    private HttpClient _operator = default!;
    private HttpClient _support = default!;
    private HttpClient _admin = default!;
    private HttpClient _developer = default!;

    public async Task InitializeAsync()
    {
        (_operator, _support, _admin, _developer) = (app.NewClient(), app.NewClient(), app.NewClient(), app.NewClient());
        await _operator.SignInAsync("operator@portal.local");
        await _support.SignInAsync("support@portal.local");
        await _admin.SignInAsync("admin@demo.local");
        await _developer.SignInAsync("dev@demo.local");
    }

    public Task DisposeAsync()
    {
        foreach (var client in new[] { _operator, _support, _admin, _developer })
        {
            client.Dispose();
        }

        return Task.CompletedTask;
    }

    private static string NewSlug(string prefix) => $"{prefix}-{Guid.NewGuid():n}"[..20];

    private async Task<JsonElement> CreateAsync(string name, string slug)
    {
        var created = await _operator.PostAsJsonAsync(Path, new { name, slug });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return await created.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
        return body;
    }

    [Fact]
    public async Task Operator_CreatesRenamesSuspendsResumesAndDeletesATenant_EachStepOnThePlatformRecord()
    {
        var slug = NewSlug("initech");
        var tenant = await CreateAsync("Initech", slug);
        var id = tenant.GetProperty("id").GetGuid();
        Assert.Equal(("Initech", "Active", 0), (tenant.GetProperty("name").GetString(), tenant.GetProperty("state").GetString(), tenant.GetProperty("members").GetInt32()));

        var renamed = await BodyAsync(await _operator.PatchAsJsonAsync($"{Path}/{id}", new { name = "Initech Europe" }), HttpStatusCode.OK);
        Assert.Equal(("Initech Europe", slug), (renamed.GetProperty("name").GetString(), renamed.GetProperty("slug").GetString()));

        var early = await BodyAsync(await _operator.DeleteAsync($"{Path}/{id}"), HttpStatusCode.Conflict);
        Assert.Equal("Suspend the tenant before deleting it: deletion is the last step of offboarding.", early.GetProperty("detail").GetString());

        var suspended = await BodyAsync(await _operator.PostAsJsonAsync($"{Path}/{id}/suspend", new { reason = "Ticket #1: unpaid invoice" }), HttpStatusCode.OK);
        Assert.Equal("Suspended", suspended.GetProperty("state").GetString());
        await BodyAsync(await _operator.PostAsJsonAsync($"{Path}/{id}/suspend", new { }), HttpStatusCode.Conflict);
        Assert.Equal("Active", (await BodyAsync(await _operator.PostAsync($"{Path}/{id}/resume", null), HttpStatusCode.OK)).GetProperty("state").GetString());
        await _operator.PostAsync($"{Path}/{id}/suspend", null);

        var deleted = await BodyAsync(await _operator.DeleteAsync($"{Path}/{id}?reason=Contract%20ended"), HttpStatusCode.OK);
        Assert.Equal("Deleted", deleted.GetProperty("tenant").GetProperty("state").GetString());
        var listed = await _operator.GetFromJsonAsync<JsonElement>(Path);
        Assert.DoesNotContain(listed.EnumerateArray(), t => t.GetProperty("id").GetGuid() == id);
        var withDeleted = await _operator.GetFromJsonAsync<JsonElement>($"{Path}?includeDeleted=true");
        Assert.Contains(withDeleted.EnumerateArray(), t => t.GetProperty("id").GetGuid() == id && t.GetProperty("state").GetString() == "Deleted");
        await BodyAsync(await _operator.PostAsync($"{Path}/{id}/resume", null), HttpStatusCode.Conflict);

        // A deleted tenant keeps its slug.
        await BodyAsync(await _operator.PostAsJsonAsync(Path, new { name = "Initech again", slug }), HttpStatusCode.Conflict);

        var trail = (await _operator.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?resourceId={id}&outcome=Success")).GetProperty("records")
            .EnumerateArray().Reverse().ToList();
        Assert.Equal(["tenant.created", "tenant.renamed", "tenant.suspended", "tenant.resumed", "tenant.suspended", "tenant.deleted"],
            trail.Select(r => r.GetProperty("action").GetString()));
        Assert.All(trail, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("tenantId").ValueKind));
        Assert.Equal("Ticket #1: unpaid invoice", trail[2].GetProperty("reason").GetString());
        Assert.Equal("Contract ended", trail[5].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Create_WithABadSlugOrNoName_IsA400NamingTheField()
    {
        var problem = await BodyAsync(await _operator.PostAsJsonAsync(Path, new { name = " ", slug = "Not A Slug" }), HttpStatusCode.BadRequest);

        Assert.Contains("is not a slug", problem.GetProperty("errors").GetProperty("slug")[0].GetString());
        Assert.Equal("Give the tenant a name, e.g. the customer's organisation.", problem.GetProperty("errors").GetProperty("name")[0].GetString());
    }

    [Fact]
    public async Task SupportAndTenantMembers_AreRefusedWith403_AndSupportKeepsItsLookIns()
    {
        var tenant = await CreateAsync("Globex", NewSlug("globex"));
        var id = tenant.GetProperty("id").GetGuid();

        foreach (var client in new[] { _support, _admin, _developer })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync(Path, new { name = "Hooli", slug = NewSlug("hooli") })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(Path)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"{Path}/{id}/suspend", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync($"{Path}/{id}")).StatusCode);
        }

        var refusal = await BodyAsync(await _support.PatchAsJsonAsync($"{Path}/{id}", new { name = "Mine now" }), HttpStatusCode.Forbidden);
        Assert.Equal("Only a platform operator manages tenants; you are platform support.", refusal.GetProperty("detail").GetString());
        Assert.Equal("Globex", (await _operator.GetFromJsonAsync<JsonElement>($"{Path}/{id}")).GetProperty("name").GetString());
        // Every refusal naming the tenant is on the platform's record (the list names none).
        var denied = await _operator.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?resourceId={id}&outcome=Denied");
        Assert.Equal(7, denied.GetProperty("records").GetArrayLength());

        // Support's own read-only ways in are unchanged.
        Assert.Equal(HttpStatusCode.OK, (await _support.GetAsync("api/v1/support/tenants")).StatusCode);
        var lookIn = await _support.PostAsJsonAsync("api/v1/support/look-ins", new { tenantId = id, reason = "Ticket #42: customer asked for help" });
        Assert.Equal(HttpStatusCode.Created, lookIn.StatusCode);
    }

    [Fact]
    public async Task Operator_SetsATenantsAllowedRegions_WithAReason()
    {
        var id = (await CreateAsync("Umbrella", NewSlug("umbrella"))).GetProperty("id").GetGuid();

        var noReason = await BodyAsync(await _operator.PutAsJsonAsync($"{Path}/{id}/regions", new { regions = new[] { "eu-frankfurt" } }),
            HttpStatusCode.BadRequest);
        var set = await BodyAsync(await _operator.PutAsJsonAsync($"{Path}/{id}/regions",
            new { jurisdictions = new[] { "EU" }, reason = "Contract: EU data residency" }), HttpStatusCode.OK);
        var byAdmin = await _admin.PutAsJsonAsync($"{Path}/{id}/regions", new { regions = new[] { "us-east" }, reason = "I want the US" });

        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        var regions = set.GetProperty("allowedRegions").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Contains("eu-frankfurt", regions);
        Assert.All(regions, r => Assert.StartsWith("eu-", r));
        Assert.Equal(HttpStatusCode.Forbidden, byAdmin.StatusCode);
        Assert.Equal(regions, (await _operator.GetFromJsonAsync<JsonElement>($"{Path}/{id}")).GetProperty("allowedRegions")
            .EnumerateArray().Select(r => r.GetString()!).ToList());
    }
}
