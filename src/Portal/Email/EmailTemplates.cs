using System.Net;
using System.Text;
using Microsoft.Extensions.Options;

namespace Portal.Email;

/// <summary>
/// The portal's messages. Each says who sends it and why, carries one plain link (no tracking pixel, no redirect
/// through a click counter, no remote image) and says what to do when it was not expected.
/// </summary>
public sealed class EmailTemplates(IOptionsMonitor<EmailOptions> options)
{
    private string PortalName => options.CurrentValue.PortalName;

    public OutgoingEmail Invitation(string to, string inviter, string tenant, string role, string link, DateTimeOffset expiresAt) => Compose(to,
        $"{inviter} invited you to {tenant} on {PortalName}",
        [
            $"{inviter} invited you to join {tenant} on {PortalName} as {role}.",
            "Open the link to accept: sign in if you already have an account here, or create one.",
        ],
        ("Accept the invitation", link),
        $"The link works once and expires on {expiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC. If you did not expect this invitation, ignore this message.");

    public OutgoingEmail PasswordReset(string to, string link, TimeSpan validFor) => Compose(to,
        $"Reset your {PortalName} password",
        [$"Someone asked to reset the password of the {PortalName} account of {to}. Open the link to choose a new one; it also signs you out everywhere else."],
        ("Choose a new password", link),
        $"The link works once and expires in {Hours(validFor)}. If you did not ask for it, ignore this message: your password stays as it is.");

    public OutgoingEmail ConfirmEmail(string to, string link, TimeSpan validFor) => Compose(to,
        $"Confirm your email address for {PortalName}",
        [$"Open the link to confirm that {to} is the address of your {PortalName} account."],
        ("Confirm the address", link),
        $"The link expires in {Hours(validFor)}. If you did not expect this message, ignore it.");

    public OutgoingEmail ConfirmNewEmail(string to, string link, TimeSpan validFor) => Compose(to,
        $"Confirm your new email address for {PortalName}",
        [$"Someone asked to use {to} as the sign-in address of a {PortalName} account. Open the link to confirm; the account signs in with this address from then on."],
        ("Use this address", link),
        $"The link expires in {Hours(validFor)}. If you did not ask for it, ignore this message and nothing changes.");

    private OutgoingEmail Compose(string to, string subject, IReadOnlyList<string> paragraphs, (string Label, string Url) action, string footnote)
    {
        var text = new StringBuilder();
        foreach (var paragraph in paragraphs)
        {
            text.AppendLine(paragraph).AppendLine();
        }

        text.AppendLine($"{action.Label}: {action.Url}").AppendLine().AppendLine(footnote).AppendLine().AppendLine($"— {PortalName}");

        var html = new StringBuilder("<!doctype html><html><body style=\"font-family: sans-serif; line-height: 1.5\">");
        foreach (var paragraph in paragraphs)
        {
            html.Append("<p>").Append(Encode(paragraph)).Append("</p>");
        }

        html.Append("<p><a href=\"").Append(Encode(action.Url)).Append("\">").Append(Encode(action.Label)).Append("</a></p>")
            .Append("<p>Or copy this address into your browser: ").Append(Encode(action.Url)).Append("</p>")
            .Append("<p style=\"color: #555\">").Append(Encode(footnote)).Append("</p>")
            .Append("<p>— ").Append(Encode(PortalName)).Append("</p></body></html>");
        return new OutgoingEmail(to, subject, text.ToString(), html.ToString());
    }

    private static string Hours(TimeSpan span) => span.TotalHours >= 48 ? $"{span.TotalDays:0} days" : $"{span.TotalHours:0} hours";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
