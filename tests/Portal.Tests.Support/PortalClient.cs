using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Portal.Tests.Support;

/// <summary>What a person's browser or a program does over HTTP: sign in through the login form, get tokens.</summary>
public static partial class PortalClient
{
    public static async Task<HttpResponseMessage> SubmitLoginAsync(this HttpClient client, string email, string password, string? returnUrl = null)
    {
        var path = "account/login" + (returnUrl is null ? "" : "?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
        var page = await client.GetStringAsync(path);
        var fields = HiddenInputs(page);
        fields["Input.Email"] = email;
        fields["Input.Password"] = password;
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    /// <summary>Signs in and asserts it worked (the sign-in page answers with a redirect and a session cookie).</summary>
    public static async Task SignInAsync(this HttpClient client, string email, string password = PortalApp.Password)
    {
        var response = await client.SubmitLoginAsync(email, password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in of {email} failed: {response.StatusCode}");
    }

    public static async Task<string> ClientCredentialsTokenAsync(this HttpClient client, string clientId, string secret)
    {
        var response = await client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = "portal_api",
        }));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("access_token").GetString()!;
    }

    public static HttpRequestMessage WithBearer(this HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    public static Task<HttpResponseMessage> GetWithTokenAsync(this HttpClient client, string path, string token) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path).WithBearer(token));

    public static Dictionary<string, string> HiddenInputs(string html) =>
        HiddenInputPattern().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenInputPattern();
}
