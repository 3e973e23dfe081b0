using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;

namespace Portal.Observability;

/// <summary>
/// Deletes raw request samples older than the configured retention. Rollups stay, so windows beyond the retention
/// keep their percentiles; only the per-request detail (cold-start rows) ages out. Server-side TTFT points (and the
/// baselines of sources gone as long) age out after their own retention. Safe to run twice.
/// </summary>
public sealed class RawSampleRetentionJob(IDbContextFactory<PortalDbContext> dbFactory, ServerTtftHistory serverTtft, IOptions<ObservabilityOptions> options,
    TimeProvider clock)
{
    public const string RecurringId = "observability-raw-retention";

    // Deleting in slices keeps each transaction short, so the sample writer is never blocked for long.
    private const int Slice = 10_000;

    /// <returns>How many samples were deleted.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await serverTtft.DeleteOlderThanAsync(now.AddDays(-options.Value.ServerTtftRetentionDays), cancellationToken);
        await using (var readings = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // Engine readings live as long as the server-side TTFT points scraped with them.
            var readingsCutoff = now.AddDays(-options.Value.ServerTtftRetentionDays);
            await readings.EngineReadings.Where(r => r.At < readingsCutoff).ExecuteDeleteAsync(cancellationToken);
        }

        var cutoff = now.AddDays(-options.Value.RawRetentionDays);
        var deleted = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var ids = await db.RequestSamples.Where(s => s.Timestamp < cutoff).OrderBy(s => s.Id).Select(s => s.Id).Take(Slice).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                return deleted;
            }

            deleted += await db.RequestSamples.Where(s => ids.Contains(s.Id)).ExecuteDeleteAsync(cancellationToken);
        }
    }
}
