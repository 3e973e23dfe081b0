using Microsoft.EntityFrameworkCore;
using Portal.Core.DryRun;
using Portal.Core.Gateway;
using Portal.Core.Latency;
using Portal.Data;

namespace Portal.Migration.DryRun;

/// <summary>
/// An endpoint's recorded production traffic over a window, read from the gateway's raw samples: the generations that
/// reached a target (shadow copies and refusals before routing are not the endpoint's traffic), what they measured, and
/// the ones with token counts, which are the ones a replay can send.
/// </summary>
public static class DryRunRecording
{
    public static async Task<(RecordedTraffic Traffic, IReadOnlyList<RecordedRequest> Requests)> LoadAsync(
        PortalDbContext db, Guid tenantId, Guid endpointId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var rows = await db.RequestSamples.AsNoTracking()
            .Where(s => s.TenantId == tenantId && s.EndpointId == endpointId && !s.Shadow && s.TargetId != null
                && s.Timestamp >= from && s.Timestamp < to
                && (s.Operation == GatewayOperation.Chat || s.Operation == GatewayOperation.TextCompletion))
            .Select(s => new { s.Timestamp, s.Operation, s.PromptTokens, s.CompletionTokens, s.Streamed, s.StatusCode, s.TtftMs, s.ColdStart })
            .ToListAsync(ct);
        var requests = rows.Where(r => r.PromptTokens is not null && r.CompletionTokens is not null)
            .Select(r => new RecordedRequest(r.Timestamp, r.Operation, r.PromptTokens!.Value, r.CompletionTokens!.Value, r.Streamed))
            .ToList();
        var ttfts = rows.Where(r => r.StatusCode is >= 200 and < 300 && r.TtftMs is not null).Select(r => r.TtftMs!.Value).Order().ToArray();
        var traffic = new RecordedTraffic(
            rows.Count,
            requests.Count,
            rows.Count - requests.Count,
            ExactPercentiles.PercentileOfSorted(ttfts, 50),
            ExactPercentiles.PercentileOfSorted(ttfts, 90),
            ExactPercentiles.PercentileOfSorted(ttfts, 99),
            rows.Count(r => r.ColdStart),
            rows.Count(r => r.StatusCode == 429),
            TtftBuckets.BucketCounts(ttfts.Select(t => t / 1000)));
        return (traffic, requests);
    }
}
