using System.Net;
using System.Text.Json;

namespace Portal.Cli.Connection;

/// <summary>The portal answered with an error: its problem details (RFC 7807) are what the user reads.</summary>
public sealed class PortalRefusedException(HttpStatusCode status, JsonElement? problem, string fallback)
    : Exception(Describe(status, problem, fallback))
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>The problem details as the server sent them, or null when the body was not JSON.</summary>
    public JsonElement? Problem { get; } = problem;

    /// <summary>"title (status): detail" then one "  field: message" line per field error.</summary>
    public IEnumerable<string> Lines()
    {
        yield return Message;
        if (Problem is { ValueKind: JsonValueKind.Object } body
            && body.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in errors.EnumerateObject())
            {
                var messages = field.Value.ValueKind == JsonValueKind.Array
                    ? field.Value.EnumerateArray().Select(m => m.ToString())
                    : [field.Value.ToString()];
                foreach (var message in messages)
                {
                    yield return $"  {field.Name}: {message}";
                }
            }
        }
    }

    private static string Describe(HttpStatusCode status, JsonElement? problem, string fallback)
    {
        var code = (int)status;
        if (problem is not { ValueKind: JsonValueKind.Object } body)
        {
            return $"The portal refused the request ({code} {status}){(string.IsNullOrWhiteSpace(fallback) ? "." : ": " + fallback.Trim())}";
        }

        var title = Text(body, "title") ?? Text(body, "error") ?? status.ToString();
        var detail = Text(body, "detail") ?? Text(body, "error_description");
        return detail is null ? $"{title} ({code})" : $"{title} ({code}): {detail}";
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>The command cannot run as given (exit code 2): a bad option value, no portal named, not logged in.</summary>
public sealed class CliUsageException(string message) : Exception(message);
