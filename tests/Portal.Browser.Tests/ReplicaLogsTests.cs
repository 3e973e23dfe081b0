using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ReplicaLogsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task ADevelopersLiveTail_ShowsTheEnginesNewLinesWithinTwoSeconds_OnAPhone_AndNeverThePrompt()
    {
        using var api = fixture.App.NewClient();
        await api.SignInAsync("dev@demo.local");
        var created = await api.PostAsJsonAsync("api/v1/deployments", new
        {
            name = "tail-chat", model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" }, engine = "Vllm",
            gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 1, region = "us-east",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var key = await (await api.PostAsJsonAsync("api/v1/keys", new { name = "tail app" })).Content.ReadFromJsonAsync<JsonElement>();
        try
        {
            await TailAsync(id, (await ReadyReplicaAsync(api, id)).GetProperty("id").GetString()!, key.GetProperty("secret").GetString()!);
        }
        finally
        {
            // The collection shares one portal: other tests count the tenant's GPUs in use.
            (await api.DeleteAsync($"api/v1/deployments/{id}")).EnsureSuccessStatusCode();
            (await api.PostAsync($"api/v1/keys/{key.GetProperty("key").GetProperty("id").GetString()}/revoke", null)).EnsureSuccessStatusCode();
        }
    }

    private async Task TailAsync(string id, string replica, string key)
    {
        var page = await fixture.NewPageAsync(PhoneScreen.Width, PhoneScreen.Height);
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("dev@demo.local", PortalApp.Password);
        var logs = new ReplicaLogsPanel(page);
        await logs.OpenAsync(id, replica);
        await Assertions.Expect(logs.Lines).ToContainTextAsync("Application startup complete.");

        var marker = $"tail-marker-{Guid.NewGuid():n}";
        var requestId = await ChatAsync(key, $"Never log this: {marker}");

        await Assertions.Expect(logs.Lines).ToContainTextAsync($"Finished request {requestId}", new() { Timeout = 2000 });
        await Assertions.Expect(logs.Lines).Not.ToContainTextAsync(marker);
        Assert.Empty(await new PhoneScreen(page).ProblemsAsync("replica logs"));
        await BrowserFixture.ScreenshotAsync(page, "replica-logs-phone", fullPage: true);

        await logs.SearchAsync(requestId);
        await Assertions.Expect(logs.Lines.Locator("div")).ToHaveCountAsync(2);
        Assert.Contains("download=true", await logs.Download.GetAttributeAsync("href"), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    private static async Task<JsonElement> ReadyReplicaAsync(HttpClient api, string id)
    {
        for (var i = 0; i < 240; i++)
        {
            var detail = await api.GetFromJsonAsync<JsonElement>($"api/v1/deployments/{id}");
            var replicas = detail.GetProperty("replicas").EnumerateArray().ToList();
            if (replicas.Count == 1 && replicas[0].GetProperty("phase").GetString() == "Ready")
            {
                return replicas[0];
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Deployment {id} has no Ready replica after a minute.");
    }

    /// <summary>One chat completion through the portal's gateway; the engine's request id it answers with.</summary>
    private async Task<string> ChatAsync(string inferenceKey, string content)
    {
        using var gateway = new HttpClient { BaseAddress = fixture.App.BaseAddress };
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
            {
                Content = JsonContent.Create(new { model = "tail-chat", messages = new[] { new { role = "user", content } }, max_tokens = 4 }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", inferenceKey);
            using var response = await gateway.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            }

            Assert.True(attempt < 40, $"The gateway answered {response.StatusCode}.");
            await Task.Delay(250);
        }
    }
}
