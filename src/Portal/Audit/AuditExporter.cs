using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Data;

namespace Portal.Audit;

/// <summary>
/// Writes a scope's records as the verifiable JSONL export, ending with the signed manifest: the one way the
/// Audit page, the API, the tenant export and the evidence package produce it.
/// </summary>
public sealed class AuditExporter(IDbContextFactory<PortalDbContext> dbFactory, AuditReader reader, AuditKeyProvider keys)
{
    public async Task<AuditExportWritten> WriteJsonlAsync(
        TextWriter writer, AuditScope scope, AuditFilter filter, DateTimeOffset exportedAt, CancellationToken ct = default)
    {
        var chain = AuditChain.Of(scope.TenantId);
        AuditChainHead origin;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // An archived chain's live part starts at the archive boundary: that is the origin its export verifies from.
            origin = (await AuditChains.ArchiveBoundariesAsync(db, ct)).TryGetValue(chain, out var boundary)
                ? boundary
                : await AuditChains.OriginAsync(db, ct);
        }

        var described = filter.Describe();
        var header = new AuditExportHeader
        {
            ExportedAt = exportedAt,
            PublicKeyId = keys.KeyId,
            Filter = new Dictionary<string, string>(described ?? new Dictionary<string, string>()) { ["scope"] = scope.TenantId?.ToString() ?? "platform" },
        };
        var manifest = new AuditExportManifest
        {
            Chain = chain,
            Origin = origin,
            RecordCount = 0,
            Filter = described,
            From = filter.From,
            To = filter.To,
            KeyId = keys.KeyId,
            ExportedAt = exportedAt,
        };
        var checkpoints = await reader.CheckpointsForAsync(scope, filter, origin, ct);
        var signed = await AuditExportWriter.WriteAsync(writer, header, checkpoints, reader.StreamForExportAsync(scope, filter, origin, ct), manifest, keys.Signer, ct);
        return new AuditExportWritten(signed, checkpoints.Count);
    }
}

/// <summary>What an export wrote: its signed manifest and how many checkpoints it carried.</summary>
public sealed record AuditExportWritten(AuditExportManifest Manifest, int Checkpoints);
