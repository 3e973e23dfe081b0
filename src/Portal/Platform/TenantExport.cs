using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Deployments;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Platform;

/// <summary>What a tenant export holds, written last into the zip as <c>manifest.json</c>.</summary>
public sealed record TenantExportManifest(
    string Format, TenantView Tenant, DateTimeOffset ExportedAt, string ExportedBy, string? PublicKeyId, IReadOnlyDictionary<string, long> Counts)
{
    public const string CurrentFormat = "portal-tenant-export/v1";
}

/// <summary>
/// The first step of offboarding: a platform operator takes a tenant's records with them before deleting it — its audit
/// trail (verifiable offline like any audit export), its configuration and its request samples' measurements. Nothing
/// secret and no request content leaves: keys are metadata, webhooks have no secret, chat channels' URLs are masked,
/// samples carry no bodies.
/// </summary>
public sealed class TenantExport(
    IDbContextFactory<PortalDbContext> dbFactory,
    TenantAdministration tenants,
    AuditExporter auditExporter,
    AuditLog auditLog,
    AuditKeyProvider keys,
    TimeProvider clock)
{
    public const string Action = "tenant.exported";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = true,
    };

    private static readonly JsonSerializerOptions Lines = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>
    /// Checks the caller and the tenant, and records the export in the platform's trail and the tenant's before a byte
    /// is written (so the tenant's own audit part names it). Works for suspended and deleted tenants.
    /// </summary>
    public async Task<ServiceResult<TenantView>> BeginAsync(Caller caller, Guid tenantId, CancellationToken ct = default)
    {
        if (!AccessPolicy.CanManageTenants(caller.IsOperator))
        {
            var who = caller.IsSupport ? "platform support" : caller.IsClient ? "an automation client" : "not a platform operator";
            var message = $"Only a platform operator exports tenants; you are {who}.";
            await auditLog.RecordAsync(caller, null, Action, "tenant", tenantId.ToString(), AuditOutcome.Denied, message, cancellationToken: ct);
            return ServiceResult<TenantView>.Forbidden(message);
        }

        var found = await tenants.GetAsync(caller, tenantId, ct);
        if (!found.Succeeded)
        {
            return found;
        }

        var details = new { name = found.Value!.Name, slug = found.Value.Slug, state = found.Value.State.ToString() };
        await auditLog.RecordAsync(caller, null, Action, "tenant", tenantId.ToString(), details: details, cancellationToken: ct);
        await auditLog.RecordAsync(caller, tenantId, Action, "tenant", tenantId.ToString(), details: details, cancellationToken: ct);
        return found;
    }

    /// <summary>Streams the zip: audit.jsonl, configuration.json, samples.jsonl, then manifest.json with the counts.</summary>
    public async Task WriteAsync(Caller caller, TenantView tenant, Stream output, CancellationToken ct = default)
    {
        var stamp = clock.GetUtcNow();
        var counts = new Dictionary<string, long>();
        await using var deferring = new SyncWriteDeferringStream(output);
        await using (var zip = await ZipArchive.CreateAsync(deferring, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct))
        {
            counts["auditRecords"] = await WriteEntryAsync(zip, "audit.jsonl", writer => WriteAuditAsync(writer, tenant, stamp, counts, ct), ct);
            await WriteEntryAsync(zip, "configuration.json", writer => WriteConfigurationAsync(writer, tenant, counts, ct), ct);
            counts["samples"] = await WriteEntryAsync(zip, "samples.jsonl", writer => WriteSamplesAsync(writer, tenant.Id, ct), ct);
            var manifest = new TenantExportManifest(TenantExportManifest.CurrentFormat, tenant, stamp, caller.Name, keys.KeyId,
                new SortedDictionary<string, long>(counts, StringComparer.Ordinal));
            await WriteEntryAsync(zip, "manifest.json", async writer =>
            {
                await writer.WriteAsync(JsonSerializer.Serialize(manifest, Json));
                return 0;
            }, ct);
        }

        await deferring.FlushAsync(ct);
    }

    private static async Task<long> WriteEntryAsync(ZipArchive zip, string name, Func<StreamWriter, Task<long>> write, CancellationToken ct)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        await using var stream = await entry.OpenAsync(ct);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), bufferSize: 64 * 1024) { NewLine = "\n" };
        var count = await write(writer);
        await writer.FlushAsync(ct);
        return count;
    }

    /// <summary>The same format as the audit export of one tenant: the tenant's whole chain, with its signed manifest.</summary>
    private async Task<long> WriteAuditAsync(StreamWriter writer, TenantView tenant, DateTimeOffset stamp, Dictionary<string, long> counts, CancellationToken ct)
    {
        var written = await auditExporter.WriteJsonlAsync(writer, new AuditScope(tenant.Id, tenant.Name), new AuditFilter(), stamp, ct);
        counts["auditCheckpoints"] = written.Checkpoints;
        return written.Manifest.RecordCount;
    }

    private async Task<long> WriteConfigurationAsync(StreamWriter writer, TenantView tenant, Dictionary<string, long> counts, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var configuration = await TenantConfiguration.ReadAsync(db, tenant, ct);
        counts["members"] = configuration.Members.Count;
        counts["deployments"] = configuration.Deployments.Count;
        counts["endpoints"] = configuration.Endpoints.Count;
        counts["pipelines"] = configuration.Pipelines.Count;
        counts["webhooks"] = configuration.Webhooks.Count;
        counts["keys"] = configuration.Keys.Count;
        counts["budgets"] = configuration.Budgets.Count;
        counts["notificationChannels"] = configuration.NotificationChannels.Count;
        await writer.WriteAsync(JsonSerializer.Serialize(configuration, Json));
        return 0;
    }

    /// <summary>Every measured field of each sample, oldest first; samples never hold prompts or completions.</summary>
    private async Task<long> WriteSamplesAsync(StreamWriter writer, Guid tenantId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        long count = 0;
        var samples = db.RequestSamples.AsNoTracking().Where(s => s.TenantId == tenantId).OrderBy(s => s.Id).AsAsyncEnumerable();
        await foreach (var sample in samples.WithCancellation(ct))
        {
            await writer.WriteAsync(JsonSerializer.Serialize(sample, Lines));
            await writer.WriteAsync('\n');
            if (++count % AuditExportWriter.FlushInterval == 0)
            {
                await writer.FlushAsync(ct);
            }
        }

        return count;
    }
}
