using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Health;
using Portal.Tests.Support;
using static Portal.Tests.Notifications.NotificationChannels;

namespace Portal.Tests.Notifications;

/// <summary>
/// Channels and quiet hours as a tenant sets them: the test button, who may change them, the tenant boundary, the outbound
/// guard on a chat URL, and field errors for bad input.
/// </summary>
public sealed class NotificationSettingsTests(PortalApp portal) : IClassFixture<PortalApp>
{
    private PortalApp Portal => portal;

    [Fact]
    public async Task TheTestButton_SendsAMessageToTheChannelNow()
    {
        var (admin, tenant) = await AdminAsync();
        await using var chat = await ChatReceiver.StartAsync();
        Portal.AllowOutbound(chat.Url);
        var channel = await CreateChannelAsync(admin, tenant, new { name = "#test-me", type = "chat", url = chat.Url.ToString() });
        var email = await CreateChannelAsync(admin, tenant, new { name = "Admins", type = "email", toTenantAdmins = true });

        var test = await admin.PostAsync($"api/v1/notifications/channels/{channel.GetProperty("id").GetString()}/test?tenantId={tenant}", null);
        var testedEmail = await admin.PostAsync($"api/v1/notifications/channels/{email.GetProperty("id").GetString()}/test?tenantId={tenant}", null);

        Assert.Equal("Sent", (await test.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.StartsWith("Test message for \"#test-me\"", JsonDocument.Parse(Assert.Single(chat.Messages)).RootElement.GetProperty("text").GetString());
        Assert.Equal("Sent", (await testedEmail.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Contains(Portal.Mail.MessagesTo("admin@demo.local"), m => m.Subject == "[Portal] Test message for \"Admins\"");

        await DeleteChannelsAsync(admin, tenant, channel, email);
    }

    [Fact]
    public async Task ADeveloperCannotChangeChannelsOrQuietHours_ButReadsThem()
    {
        var (admin, tenant) = await AdminAsync();
        var channel = await CreateChannelAsync(admin, tenant, new { name = "Ops", type = "email", emailTo = new[] { "ops@example.com" } });
        using var dev = await HealthTestKit.DeveloperAsync(Portal);
        var id = channel.GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.Forbidden,
            (await dev.PostAsJsonAsync("api/v1/notifications/channels", new { name = "Mine", type = "email", emailTo = new[] { "me@example.com" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await dev.PutAsJsonAsync($"api/v1/notifications/channels/{id}", new { name = "Renamed" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await dev.DeleteAsync($"api/v1/notifications/channels/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await dev.PostAsync($"api/v1/notifications/channels/{id}/test", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await dev.PutAsJsonAsync("api/v1/notifications/settings", new { timeZone = "UTC", digestOnly = true, digestHour = 8, incidentsAlwaysSend = false })).StatusCode);

        var listed = await dev.GetFromJsonAsync<JsonElement>("api/v1/notifications/channels");
        Assert.Contains(listed.EnumerateArray(), c => c.GetProperty("id").GetString() == id && c.GetProperty("name").GetString() == "Ops");
        var audit = await admin.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?tenantId={tenant}&action=notification-channel.delete");
        Assert.Contains("Denied", audit.ToString());

        await DeleteChannelsAsync(admin, tenant, channel);
    }

    [Fact]
    public async Task AnotherTenantsChannels_AreNotFound()
    {
        var (admin, demo) = await AdminAsync();
        var acme = (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Acme Research").GetProperty("id").GetString()!;
        var acmeChannel = await CreateChannelAsync(admin, acme, new { name = "Acme ops", type = "email", emailTo = new[] { "ops@acme.example" } });
        var id = acmeChannel.GetProperty("id").GetString();
        using var dev = await HealthTestKit.DeveloperAsync(Portal);

        // Through the other tenant: the row is not there.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync($"api/v1/notifications/channels/{id}?tenantId={demo}", new { name = "Taken" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"api/v1/notifications/channels/{id}?tenantId={demo}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"api/v1/notifications/channels/{id}/test?tenantId={demo}", null)).StatusCode);
        Assert.DoesNotContain(id!, (await admin.GetStringAsync($"api/v1/notifications/channels?tenantId={demo}")));
        // A member of the first tenant only: the other tenant is not there.
        Assert.Equal(HttpStatusCode.NotFound, (await dev.GetAsync($"api/v1/notifications/channels?tenantId={acme}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await dev.GetAsync($"api/v1/notifications/deliveries?tenantId={acme}")).StatusCode);

        await DeleteChannelsAsync(admin, acme, acmeChannel);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5999/services/x")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://localhost/hook")]
    public async Task AChatUrlPointingInward_IsRefusedByTheOutboundGuard(string url)
    {
        var (admin, tenant) = await AdminAsync();

        var response = await admin.PostAsJsonAsync($"api/v1/notifications/channels?tenantId={tenant}", new { name = "#inward", type = "chat", url });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("url", out _), errors.ToString());
    }

    [Fact]
    public async Task BadInput_IsAnsweredWithFieldErrors()
    {
        var (admin, tenant) = await AdminAsync();

        var kinds = await admin.PostAsJsonAsync($"api/v1/notifications/channels?tenantId={tenant}",
            new { name = "x", type = "email", emailTo = new[] { "not an address" }, kinds = new[] { "incident.exploded" } });
        var zone = await admin.PutAsJsonAsync($"api/v1/notifications/settings?tenantId={tenant}",
            new { timeZone = "Mars/Olympus", quietStart = "25:00", digestOnly = false, digestHour = 8, incidentsAlwaysSend = false });

        Assert.Equal(HttpStatusCode.BadRequest, kinds.StatusCode);
        var kindErrors = (await kinds.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(kindErrors.TryGetProperty("kinds", out _) && kindErrors.TryGetProperty("emailTo", out _), kindErrors.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, zone.StatusCode);
        var zoneErrors = (await zone.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(zoneErrors.TryGetProperty("timeZone", out _) && zoneErrors.TryGetProperty("quietStart", out _), zoneErrors.ToString());
    }

    private Task<(HttpClient Client, string Tenant)> AdminAsync() => NotificationChannels.AdminAsync(Portal);
}
