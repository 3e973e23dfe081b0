using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Portal.Tests.Support;

/// <summary>What a person does on the server-rendered account pages, and how a test gets someone into a tenant.</summary>
public static partial class PortalForms
{
    /// <summary>Fills the form named <paramref name="formName"/> on the page at <paramref name="url"/> and posts it.</summary>
    public static async Task<HttpResponseMessage> SubmitFormAsync(this HttpClient client, string url, string formName, IReadOnlyDictionary<string, string> values)
    {
        var page = await client.GetStringAsync(url);
        var fields = FormFields(page, formName);
        foreach (var (name, value) in values)
        {
            fields[name] = value;
        }

        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    /// <summary>The hidden fields (handler name, antiforgery token) of one form of a page with several.</summary>
    public static Dictionary<string, string> FormFields(string html, string formName)
    {
        var form = FormPattern().Matches(html).Select(m => m.Value)
            .SingleOrDefault(f => f.Contains($"value=\"{formName}\"", StringComparison.Ordinal));
        Assert.True(form is not null, $"The page has no form {formName}.");
        return PortalClient.HiddenInputs(form);
    }

    /// <summary>
    /// Invites <paramref name="email"/> through the API as <paramref name="admin"/>, reads the invitation from the portal's
    /// SMTP sink and accepts it by creating the account. Returns the person's signed-in client and their member id.
    /// </summary>
    public static async Task<(HttpClient Person, Guid MemberId)> InviteAndJoinAsync(
        this PortalApp app, HttpClient admin, Guid tenantId, string email, string role, string password = PortalApp.Password, string name = "Invited Person")
    {
        var before = app.Mail.MessagesTo(email).Count;
        var invited = await admin.PostAsJsonAsync($"api/v1/tenants/{tenantId}/invitations", new { email, role });
        Assert.True(invited.StatusCode == HttpStatusCode.Created, await invited.Content.ReadAsStringAsync());
        var link = MailSink.LinkTo(await app.Mail.WaitForMessageAsync(email, before + 1), "/account/invitation");

        var person = app.NewClient();
        var accepted = await person.AcceptByCreatingAccountAsync(link, name, password);
        Assert.True(accepted.StatusCode == HttpStatusCode.Redirect, $"Accepting failed: {await accepted.Content.ReadAsStringAsync()}");
        var members = await admin.GetFromJsonAsync<JsonElement>($"api/v1/tenants/{tenantId}/members");
        var member = members.EnumerateArray().Single(m => string.Equals(m.GetProperty("email").GetString(), email, StringComparison.OrdinalIgnoreCase));
        return (person, member.GetProperty("id").GetGuid());
    }

    /// <summary>
    /// Invites <paramref name="email"/> as <paramref name="admin"/> and accepts as <paramref name="person"/>, who is signed
    /// in with that address already (a person joining a second tenant).
    /// </summary>
    public static async Task<Guid> InviteAndAcceptAsync(
        this PortalApp app, HttpClient admin, HttpClient person, Guid tenantId, string email, string role)
    {
        var before = app.Mail.MessagesTo(email).Count;
        var invited = await admin.PostAsJsonAsync($"api/v1/tenants/{tenantId}/invitations", new { email, role });
        Assert.True(invited.StatusCode == HttpStatusCode.Created, await invited.Content.ReadAsStringAsync());
        var link = MailSink.LinkTo(await app.Mail.WaitForMessageAsync(email, before + 1), "/account/invitation");
        var accepted = await person.SubmitFormAsync(link, "accept", new Dictionary<string, string>());
        Assert.True(accepted.StatusCode == HttpStatusCode.Redirect, $"Accepting failed: {await accepted.Content.ReadAsStringAsync()}");
        var members = await admin.GetFromJsonAsync<JsonElement>($"api/v1/tenants/{tenantId}/members");
        return members.EnumerateArray().Single(m => string.Equals(m.GetProperty("email").GetString(), email, StringComparison.OrdinalIgnoreCase))
            .GetProperty("id").GetGuid();
    }

    public static Task<HttpResponseMessage> AcceptByCreatingAccountAsync(this HttpClient person, string link, string name, string password) =>
        person.SubmitFormAsync(link, "create-account", new Dictionary<string, string>
        {
            ["Input.Name"] = name,
            ["Input.Password"] = password,
            ["Input.Confirm"] = password,
        });

    [GeneratedRegex("<form.*?</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();
}
