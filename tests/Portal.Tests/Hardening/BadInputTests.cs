using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Tests.Hardening;

/// <summary>Requests that once answered 500: each is the caller's mistake and is answered as one, naming the field.</summary>
public sealed class BadInputTests(PortalApp app) : IClassFixture<PortalApp>
{
    [Fact]
    public async Task AServerlessEndpointWithoutATarget_Answers400NamingTheTarget()
    {
        using var admin = await AdminAsync();

        var answer = await admin.PostAsJsonAsync("api/v1/endpoints/serverless", new { name = "x" });

        Assert.Contains("Target", await FieldErrorsAsync(answer));
    }

    [Fact]
    public async Task AKeyExpiringInInt32MaxDays_Answers400NamingTheExpiry()
    {
        using var admin = await AdminAsync();

        var answer = await admin.PostAsJsonAsync("api/v1/keys", new { name = "k", expiresInDays = int.MaxValue });

        Assert.Contains("ExpiresInDays", await FieldErrorsAsync(answer));
    }

    [Fact]
    public async Task AnExistingEndpointNameWithALeadingSpace_Answers400NamingTheName()
    {
        using var admin = await AdminAsync();
        var name = $"taken-{Guid.NewGuid():n}";
        var target = new { baseUrl = "http://127.0.0.1:9/v1", upstreamModel = "m" };
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("api/v1/endpoints/serverless", new { name, target })).StatusCode);

        var answer = await admin.PostAsJsonAsync("api/v1/endpoints/serverless", new { name = " " + name, target });

        Assert.Contains("Name", await FieldErrorsAsync(answer));
    }

    [Fact]
    public async Task JsonThatDoesNotParse_Answers400NamingWhereItBroke()
    {
        using var admin = await AdminAsync();

        var answer = await admin.PostAsync("api/v1/keys", new StringContent("""{"name":"k","expiresInDays":"soon"}""", Encoding.UTF8, "application/json"));

        Assert.Contains("$.expiresInDays", await FieldErrorsAsync(answer));
    }

    private async Task<HttpClient> AdminAsync()
    {
        var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        return admin;
    }

    private static async Task<IReadOnlyList<string>> FieldErrorsAsync(HttpResponseMessage answer)
    {
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.BadRequest, $"Answered {answer.StatusCode}: {body}");
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
    }
}
