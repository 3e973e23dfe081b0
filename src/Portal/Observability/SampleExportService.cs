using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Gateway;
using Portal.Core.Latency;
using Portal.Data;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Observability;

/// <summary>
/// The raw request samples of one endpoint over a window, oldest first, for the customer's own checks: measured
/// fields only (the store holds no content). Read-only, scoped to the caller's tenant.
/// </summary>
public sealed class SampleExportService(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>Checks that the caller may read the endpoint's samples; not found for another tenant's endpoint.</summary>
    public async Task<ServiceResult<string>> EndpointNameAsync(Caller caller, Guid tenantId, Guid endpointId, CancellationToken ct = default)
    {
        if (!TtftService.CanRead(caller, tenantId))
        {
            return ServiceResult<string>.NotFound("No such tenant.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var name = await db.Endpoints.AsNoTracking().Where(e => e.TenantId == tenantId && e.Id == endpointId).Select(e => e.Name).FirstOrDefaultAsync(ct);
        return name is null ? ServiceResult<string>.NotFound("No such endpoint.") : ServiceResult<string>.Ok(name);
    }

    /// <summary>Streams the samples; call only after <see cref="EndpointNameAsync"/> succeeded for the same tenant.</summary>
    public async IAsyncEnumerable<SampleExportRow> StreamAsync(Guid tenantId, Guid endpointId, DateTimeOffset from, DateTimeOffset to,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var samples = db.RequestSamples.AsNoTracking()
            .Where(s => s.TenantId == tenantId && s.EndpointId == endpointId && s.Timestamp >= from && s.Timestamp < to)
            .OrderBy(s => s.Timestamp).ThenBy(s => s.Id)
            .AsAsyncEnumerable();
        await foreach (var s in samples.WithCancellation(ct))
        {
            yield return new SampleExportRow(
                s.Timestamp, s.EndpointId, s.Model, s.Operation.TelemetryName(), s.TargetId,
                s.Tier switch { TargetKind.Serverless => ServingTier.Serverless, TargetKind.Dedicated => ServingTier.Dedicated, _ => null },
                s.Region, s.ReplicaId, s.Shadow ? "shadow" : "production", s.StatusCode, s.ErrorCode, s.Streamed, s.TtftMs, s.ItlMeanMs,
                s.ItlP99Ms, s.TpotMs, s.EndToEndMs, s.PromptTokens, s.CompletionTokens, s.ColdStart, s.Burst, s.Attempts);
        }
    }
}
