using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Portal.Residency;

/// <summary>
/// The residency report as flat facts, one per line: <c>requests</c> (an endpoint's count in a region),
/// <c>lock_change</c> and <c>refusal</c>. CSV and JSONL carry the same facts and columns.
/// </summary>
public static class ResidencyReportExport
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "kind", "endpoint_id", "endpoint", "region", "requests", "burst_requests", "shadow_requests",
        "at", "subject", "before", "after", "reason", "actor", "action", "outcome", "audit_sequence",
    ];

    public static IEnumerable<IReadOnlyDictionary<string, object?>> Facts(ResidencyReportView report)
    {
        foreach (var endpoint in report.Endpoints)
        {
            foreach (var region in endpoint.Regions)
            {
                yield return Fact("requests", new()
                {
                    ["endpoint_id"] = endpoint.EndpointId, ["endpoint"] = endpoint.Name, ["region"] = region.Region,
                    ["requests"] = region.Requests, ["burst_requests"] = region.BurstRequests, ["shadow_requests"] = region.ShadowRequests,
                });
            }
        }

        foreach (var change in report.LockChanges)
        {
            yield return Fact("lock_change", new()
            {
                ["endpoint_id"] = change.EndpointId, ["at"] = change.At, ["subject"] = change.Subject, ["before"] = change.Before ?? "unlocked",
                ["after"] = change.After ?? "unlocked", ["reason"] = change.Reason, ["actor"] = change.Actor,
            });
        }

        foreach (var refusal in report.Refusals)
        {
            yield return Fact("refusal", new()
            {
                ["at"] = refusal.At, ["subject"] = $"{refusal.ResourceType} {refusal.ResourceId}", ["reason"] = refusal.Reason,
                ["actor"] = refusal.Actor, ["action"] = refusal.Action, ["outcome"] = refusal.Outcome, ["audit_sequence"] = refusal.Sequence,
            });
        }
    }

    public static async Task WriteCsvAsync(TextWriter writer, ResidencyReportView report, CancellationToken ct)
    {
        await writer.WriteAsync(string.Join(',', Columns) + "\r\n");
        foreach (var fact in Facts(report))
        {
            ct.ThrowIfCancellationRequested();
            await writer.WriteAsync(string.Join(',', Columns.Select(c => Csv(Text(fact.GetValueOrDefault(c))))) + "\r\n");
        }
    }

    public static async Task WriteJsonlAsync(TextWriter writer, ResidencyReportView report, CancellationToken ct)
    {
        foreach (var fact in Facts(report))
        {
            ct.ThrowIfCancellationRequested();
            await writer.WriteAsync(JsonSerializer.Serialize(fact) + "\n");
        }
    }

    private static Dictionary<string, object?> Fact(string kind, Dictionary<string, object?> values)
    {
        var fact = new Dictionary<string, object?> { ["kind"] = kind };
        foreach (var (key, value) in values)
        {
            fact[key] = value;
        }

        return fact;
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        DateTimeOffset at => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Csv(string value)
    {
        // A cell that starts like a formula is neutralised so a spreadsheet never evaluates it.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : '"' + value.Replace("\"", "\"\"", StringComparison.Ordinal) + '"';
    }
}
