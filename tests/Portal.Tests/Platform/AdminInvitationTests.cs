using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Tests.Platform;

/// <summary>
/// A platform operator hands a tenant over over /api/v1/platform/tenants/{id}/invitations: the invitation mails a link that
/// makes the person TenantAdmin of exactly that tenant; tenant members and support are refused on the platform's record,
/// and a suspended or deleted tenant cannot be handed over.
/// </summary>
public sealed class AdminInvitationTests(PortalApp app) : IClassFixture<PortalApp>, IAsyncLifetime
{
    private const string Tenants = "api/v1/platform/tenants";
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

    private async Task<Guid> CreateTenantAsync(string name)
    {
        var created = await _operator.PostAsJsonAsync(Tenants, new { name, slug = $"{name.ToLowerInvariant()}-{Guid.NewGuid():n}"[..20] });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
        return body;
    }

    private static async Task<List<JsonElement>> RecordsAsync(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?{query}")).GetProperty("records").EnumerateArray().ToList();

    [Fact]
    public async Task Operator_InvitesATenantsFirstAdmin_AndAcceptingMakesThemTenantAdminOfThatTenantOnly()
    {
        var tenantId = await CreateTenantAsync("Handover");
        var email = $"first-admin-{Guid.NewGuid():n}@example.com";

        var invited = await BodyAsync(await _operator.PostAsJsonAsync($"{Tenants}/{tenantId}/invitations", new { email }), HttpStatusCode.Created);

        Assert.Equal(("TenantAdmin", "Pending"), (invited.GetProperty("role").GetString(), invited.GetProperty("state").GetString()));
        var invitationId = invited.GetProperty("id").GetGuid();
        var pending = await _operator.GetFromJsonAsync<JsonElement>($"{Tenants}/{tenantId}/invitations");
        Assert.Equal(email, Assert.Single(pending.EnumerateArray()).GetProperty("email").GetString());
        var mail = await app.Mail.WaitForMessageAsync(email);
        Assert.Contains("Handover", mail.Subject);
        Assert.Contains("as TenantAdmin", mail.TextBody);

        using var person = app.NewClient();
        var accepted = await person.AcceptByCreatingAccountAsync(MailSink.LinkTo(mail, "/account/invitation"), "Fiona First", PortalApp.Password);

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var me = await person.GetFromJsonAsync<JsonElement>("api/v1/me");
        var membership = Assert.Single(me.GetProperty("tenants").EnumerateArray());
        Assert.Equal((tenantId, "TenantAdmin"), (membership.GetProperty("id").GetGuid(), membership.GetProperty("role").GetString()));
        Assert.Empty((await _operator.GetFromJsonAsync<JsonElement>($"{Tenants}/{tenantId}/invitations")).EnumerateArray());
        Assert.Equal(1, (await _operator.GetFromJsonAsync<JsonElement>($"{Tenants}/{tenantId}")).GetProperty("members").GetInt32());
        // The new admin acts as one: they invite a colleague into their tenant.
        var colleague = await person.PostAsJsonAsync($"api/v1/tenants/{tenantId}/invitations", new { email = $"colleague-{Guid.NewGuid():n}@example.com", role = "Developer" });
        Assert.Equal(HttpStatusCode.Created, colleague.StatusCode);

        // The platform's trail has the invitation (no tenant), the tenant's has it too, where its new admin reads it.
        var platform = Assert.Single(await RecordsAsync(_operator, $"resourceId={invitationId}"));
        Assert.Equal(("invitation.sent", JsonValueKind.Null), (platform.GetProperty("action").GetString(), platform.GetProperty("tenantId").ValueKind));
        var tenantTrail = await RecordsAsync(person, $"tenantId={tenantId}&resourceId={invitationId}");
        Assert.Equal(["invitation.accepted", "invitation.sent"], tenantTrail.Select(r => r.GetProperty("action").GetString()));
        Assert.All(tenantTrail, r => Assert.Equal(tenantId, r.GetProperty("tenantId").GetGuid()));
        Assert.Equal("Otto Operator", tenantTrail[1].GetProperty("actorName").GetString());
    }

    [Fact]
    public async Task TenantMembersAndSupport_AreRefusedWith403_OnThePlatformRecord_AndNoMailLeaves()
    {
        var tenantId = await CreateTenantAsync("Refusing");
        var email = $"hopeful-{Guid.NewGuid():n}@example.com";

        foreach (var client in new[] { _admin, _developer, _support })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"{Tenants}/{tenantId}/invitations", new { email })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"{Tenants}/{tenantId}/invitations")).StatusCode);
        }

        var refusal = await BodyAsync(await _admin.PostAsJsonAsync($"{Tenants}/{tenantId}/invitations", new { email }), HttpStatusCode.Forbidden);
        Assert.Equal("Only a platform operator manages tenants; you are not a platform operator.", refusal.GetProperty("detail").GetString());
        var denied = await RecordsAsync(_operator, $"resourceId={tenantId}&outcome=Denied");
        Assert.Equal(7, denied.Count);
        Assert.All(denied, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("tenantId").ValueKind));
        Assert.Empty((await _operator.GetFromJsonAsync<JsonElement>($"{Tenants}/{tenantId}/invitations")).EnumerateArray());
        Assert.Empty(app.Mail.MessagesTo(email));
    }

    [Fact]
    public async Task ASuspendedOrDeletedTenant_IsRefusedWith409_ABadAddressWith400_AnUnknownTenantWith404()
    {
        var tenantId = await CreateTenantAsync("Closing");
        var email = $"late-{Guid.NewGuid():n}@example.com";

        var bad = await BodyAsync(await _operator.PostAsJsonAsync($"{Tenants}/{tenantId}/invitations", new { email = "not an address" }), HttpStatusCode.BadRequest);
        await _operator.PostAsJsonAsync($"{Tenants}/{tenantId}/suspend", new { reason = "Ticket #7" });
        var suspended = await BodyAsync(await _operator.PostAsJsonAsync($"{Tenants}/{tenantId}/invitations", new { email }), HttpStatusCode.Conflict);
        await _operator.DeleteAsync($"{Tenants}/{tenantId}");
        var deleted = await BodyAsync(await _operator.PostAsJsonAsync($"{Tenants}/{tenantId}/invitations", new { email }), HttpStatusCode.Conflict);
        var unknown = await _operator.PostAsJsonAsync($"{Tenants}/{Guid.NewGuid()}/invitations", new { email });

        Assert.Equal("Enter a valid email address.", bad.GetProperty("errors").GetProperty("Email")[0].GetString());
        Assert.Equal("The tenant is suspended: resume it before inviting its admin.", suspended.GetProperty("detail").GetString());
        Assert.Equal("The tenant is deleted; nobody can be invited into it.", deleted.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Empty(app.Mail.MessagesTo(email));
    }
}
