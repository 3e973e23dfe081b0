using Microsoft.EntityFrameworkCore;
using Portal.Core.Gateway;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Gateway.Seams;
using Portal.Residency;

namespace Portal.Inference;

/// <summary>Writes the gateway's measured requests in batches, off the request path, and marks the keys as used.</summary>
public sealed class DatabaseSampleSink(IDbContextFactory<PortalDbContext> dbFactory, GatewayResidencyRefusals residencyRefusals) : ISampleSink
{
    public async Task WriteBatchAsync(IReadOnlyList<RequestSample> samples, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.RequestSamples.AddRange(samples.Select(RequestSampleRow.From));
        await db.SaveChangesAsync(cancellationToken);
        foreach (var sample in samples)
        {
            residencyRefusals.Observe(sample);
        }

        foreach (var (keyId, lastUsed) in samples.GroupBy(s => s.KeyId).Select(g => (g.Key, g.Max(s => s.Timestamp))))
        {
            await db.ApiKeys.Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < lastUsed))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, lastUsed), cancellationToken);
        }
    }
}
