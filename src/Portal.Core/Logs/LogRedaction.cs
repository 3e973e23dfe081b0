using System.Text.RegularExpressions;
using Portal.Core.Audit;

namespace Portal.Core.Logs;

/// <summary>
/// Cleans one line of an engine's output before it leaves the server: everything the audit chain refuses
/// (<see cref="AuditRedaction.RedactText"/>: inference keys, JWTs, bearer credentials, private keys) and what engines
/// and their libraries print — Hugging Face tokens (<c>hf_…</c>), replica secrets (<c>rs_…</c>), the value after
/// <c>--api-key</c>, AWS access key ids and secret keys, passwords in URLs (<c>scheme://user:password@host</c>) and
/// <c>password=…</c>, <c>token: …</c>, <c>api_key=…</c> style assignments. The name is kept, the value becomes
/// <see cref="Placeholder"/>.
/// </summary>
public static partial class LogRedaction
{
    public const string Placeholder = AuditRedaction.Placeholder;

    public static string Redact(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var redacted = AuditRedaction.RedactText(line)!;
        redacted = TokenPattern().Replace(redacted, Placeholder);
        redacted = FlagPattern().Replace(redacted, m => m.Groups["flag"].Value + m.Groups["sep"].Value + Placeholder);
        redacted = UrlPasswordPattern().Replace(redacted, m => m.Groups["user"].Value + ":" + Placeholder + "@");
        return AssignmentPattern().Replace(redacted, m => m.Groups["name"].Value + m.Groups["sep"].Value + Placeholder);
    }

    /// <summary>True when the line still holds something <see cref="Redact"/> would replace.</summary>
    public static bool ContainsSecret(string line) => Redact(line) != line;

    // Hugging Face user access tokens, replica secrets, AWS access key ids (long-lived AKIA, temporary ASIA).
    [GeneratedRegex(@"\bhf_[A-Za-z0-9]{20,}|\brs_[A-Za-z0-9]{20,}|\b(?:AKIA|ASIA)[A-Z0-9]{16}\b", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"(?<flag>--(?:api[-_]key|hf[-_]token|token|password))(?<sep>[= ]+)(?!\[redacted\])['""]?[^\s'""]+['""]?",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex FlagPattern();

    [GeneratedRegex(@"(?<user>[a-z][a-z0-9+.-]*://[^\s:/@]+):[^\s@/]+@", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex UrlPasswordPattern();

    [GeneratedRegex(
        @"(?<name>\b(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?token|secret[_-]?access[_-]?key|aws[_-]secret[_-]access[_-]key|hf[_-]token|client[_-]secret))"
        + @"(?<sep>[""']?\s*[=:]\s*[""']?)(?!\[redacted\])[^\s""',;&]+",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AssignmentPattern();
}
