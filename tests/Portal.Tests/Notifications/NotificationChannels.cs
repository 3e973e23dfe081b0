using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Tests.Notifications;

/// <summary>The notification API as the tests call it: a tenant admin, channels, settings, the delivery log.</summary>
internal static class NotificationChannels
{
    /// <summary>The Demo Inc. TenantAdmin, signed in, and the tenant's id.</summary>
    public static async Task<(HttpClient Client, string Tenant)> AdminAsync(PortalApp portal)
    {
        var admin = portal.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var tenant = (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Demo Inc.").GetProperty("id").GetString()!;
        return (admin, tenant);
    }

    public static async Task SetSettingsAsync(HttpClient admin, string tenant, object settings)
    {
        var response = await admin.PutAsJsonAsync($"api/v1/notifications/settings?tenantId={tenant}", settings);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> CreateChannelAsync(HttpClient admin, string tenant, object channel)
    {
        var response = await admin.PostAsJsonAsync($"api/v1/notifications/channels?tenantId={tenant}", channel);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body;
    }

    public static async Task<List<JsonElement>> DeliveriesAsync(HttpClient admin, string tenant) =>
        (await admin.GetFromJsonAsync<JsonElement>($"api/v1/notifications/deliveries?tenantId={tenant}&limit=500")).EnumerateArray().ToList();

    public static async Task DeleteChannelsAsync(HttpClient admin, string tenant, params JsonElement[] channels)
    {
        foreach (var channel in channels)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"api/v1/notifications/channels/{channel.GetProperty("id").GetString()}?tenantId={tenant}")).StatusCode);
        }
    }
}
