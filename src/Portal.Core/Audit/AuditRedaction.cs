using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Portal.Core.Audit;

/// <summary>
/// Keeps secrets, tokens, prompts and completions out of the audit chain. The audit service runs
/// <see cref="RedactText"/> over the reason and <see cref="RedactDetails"/> over the details before sealing, and
/// <see cref="AuditRecord.Seal"/> refuses anything that still looks like a secret.
/// </summary>
/// <remarks>
/// Two rules. By key: a property of the details whose name, compared without case, <c>_</c> or <c>-</c>, is one of
/// password, passwd, passphrase, secret, token, apikey, key, authorization, cookie, credential(s), privatekey,
/// connectionstring, prompt, completion, messages, choices — or ends with password, secret, token, apikey,
/// privatekey, accesskey, secretkey or connectionstring (clientSecret, accessToken, targetApiKey…) — has its value,
/// whatever its type, replaced by <c>"[redacted]"</c>. Counters such as <c>maxTokens</c> or names such as
/// <c>keyPrefix</c> are kept. By value: anywhere in the reason or in any string of the details, an inference key
/// (<c>pk_</c> followed by at least 20 base-62 characters), a JWT (<c>eyJ…</c> with three dot-separated base64url
/// parts), a <c>Bearer</c> credential (16 characters or more) or a PEM private key block is replaced by <c>[redacted]</c>.
/// A key's short display prefix (<c>pk_</c> + fewer than 20 characters) is not a secret and is kept.
/// </remarks>
public static partial class AuditRedaction
{
    public const string Placeholder = "[redacted]";

    private static readonly HashSet<string> _sensitiveNames = new(StringComparer.Ordinal)
    {
        "password", "passwd", "passphrase", "secret", "token", "apikey", "key", "authorization", "cookie",
        "credential", "credentials", "privatekey", "connectionstring", "prompt", "completion", "messages", "choices",
    };

    private static readonly string[] _sensitiveSuffixes =
        ["password", "secret", "token", "apikey", "privatekey", "accesskey", "secretkey", "connectionstring"];

    private static readonly JsonWriterOptions _writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>True when a details property of this name must not carry its value into the chain.</summary>
    public static bool IsSensitiveKey(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var normalized = name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        return _sensitiveNames.Contains(normalized) || _sensitiveSuffixes.Any(suffix => normalized.EndsWith(suffix, StringComparison.Ordinal));
    }

    /// <summary>True when the text holds something shaped like a key, token or private key.</summary>
    public static bool ContainsSecret(string? text) => text is not null && SecretPattern().IsMatch(text);

    /// <summary>Replaces every key, token or private key in free text with <see cref="Placeholder"/>.</summary>
    public static string? RedactText(string? text) => text is null ? null : SecretPattern().Replace(text, Placeholder);

    /// <summary>
    /// Returns the details object with sensitive properties and secret-shaped values replaced, written compactly.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="detailsJson"/> is not a JSON object.</exception>
    public static string? RedactDetails(string? detailsJson)
    {
        if (detailsJson is null)
        {
            return null;
        }

        using var document = ParseObject(detailsJson, nameof(detailsJson));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, _writerOptions))
        {
            WriteRedacted(writer, document.RootElement);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Describes the first secret found in a reason or details, or null when both are clean.</summary>
    public static string? DescribeSecret(string? reason, string? details)
    {
        if (ContainsSecret(reason))
        {
            return "the reason holds a key or token";
        }

        if (details is null)
        {
            return null;
        }

        using var document = ParseObject(details, nameof(details));
        return DescribeSecret(document.RootElement, "details");
    }

    internal static void EnsureDetailsIsObject(string? details, string parameterName)
    {
        if (details is not null)
        {
            using var _ = ParseObject(details, parameterName);
        }
    }

    private static JsonDocument ParseObject(string json, string parameterName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException("Audit details must be a JSON object.", parameterName, e);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new ArgumentException("Audit details must be a JSON object.", parameterName);
        }

        return document;
    }

    private static void WriteRedacted(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    if (IsSensitiveKey(property.Name) && property.Value.ValueKind != JsonValueKind.Null)
                    {
                        writer.WriteStringValue(Placeholder);
                    }
                    else
                    {
                        WriteRedacted(writer, property.Value);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteRedacted(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(RedactText(element.GetString()));
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static string? DescribeSecret(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var propertyPath = $"{path}.{property.Name}";
                    var value = property.Value;
                    if (IsSensitiveKey(property.Name)
                        && value.ValueKind != JsonValueKind.Null
                        && !(value.ValueKind == JsonValueKind.String && value.GetString() == Placeholder))
                    {
                        return $"{propertyPath} is a sensitive property";
                    }

                    if (DescribeSecret(value, propertyPath) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (DescribeSecret(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.String:
                return ContainsSecret(element.GetString()) ? $"{path} holds a key or token" : null;
            default:
                return null;
        }
    }

    [GeneratedRegex(
        @"\bpk_[A-Za-z0-9]{20,}(?:_[A-Za-z0-9]+)?"
        + @"|\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"
        + @"|\b[Bb][Ee][Aa][Rr][Ee][Rr]\s+[A-Za-z0-9\-._~+/]{16,}=*"
        + @"|-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)",
        RegexOptions.CultureInvariant)]
    private static partial Regex SecretPattern();
}
