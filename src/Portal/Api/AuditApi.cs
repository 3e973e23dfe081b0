using System.Text;
using Hangfire;
using Microsoft.AspNetCore.Mvc;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Tenancy;

namespace Portal.Api;

/// <summary>Query-string filters shared by the audit list and export.</summary>
public sealed record AuditQuery(
    Guid? TenantId,
    DateTimeOffset? From,
    DateTimeOffset? To,
    string? Actor,
    string? Action,
    string? ResourceType,
    string? ResourceId,
    AuditOutcome? Outcome,
    string? Reason)
{
    public AuditFilter ToFilter() => new()
    {
        From = From, To = To, Actor = Actor, Action = Action, ResourceType = ResourceType,
        ResourceId = ResourceId, Outcome = Outcome, ReasonText = Reason,
    };
}

public sealed record AuditPageResponse(IReadOnlyList<AuditRecord> Records, long? Older, long? Newer);

public static class AuditApi
{
    public const string PublicKeyPath = "/api/v1/audit/public-key";
    public const string KeysPath = "/api/v1/audit/keys";

    public static WebApplication MapAuditPublicKey(this WebApplication app)
    {
        // Public by design: auditors verify exports with it without trusting (or signing in to) the server.
        app.MapGet(PublicKeyPath, (AuditKeyProvider keys) =>
                Results.Text(keys.PublicKeyPem, "application/x-pem-file", Encoding.ASCII))
            .AllowAnonymous().WithTags("Audit").WithName("GetAuditPublicKey")
            .WithSummary("The current ECDSA P-256 public key (PEM) that verifies audit checkpoints and export manifests.");
        app.MapGet(KeysPath, (AuditKeyProvider keys) => Results.Text(keys.KeyDocument(), "application/json", Encoding.UTF8))
            .AllowAnonymous().WithTags("Audit").WithName("GetAuditKeys")
            .WithSummary("Every audit public key ever used, with its validity period (JWKS-like): verifies exports made before a rotation too.");
        return app;
    }

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit");

        audit.MapGet("/records", async ([AsParameters] AuditQuery query, long? before, long? after, int? pageSize,
                HttpContext http, AuditReader reader) =>
            {
                var scope = AuditReader.ScopeFor(http.Caller(), query.TenantId);
                if (!scope.Succeeded)
                {
                    return scope.ToHttpResult(_ => Results.Ok());
                }

                var page = await reader.PageAsync(scope.Value!, query.ToFilter(), before, after, pageSize ?? 50, http.RequestAborted);
                return Results.Ok(new AuditPageResponse(page.Records, page.Older, page.Newer));
            })
            .WithName("ListAuditRecords")
            .WithSummary("A page of the audit log, newest first; page with 'before' (older) or 'after' (newer) sequence numbers.")
            .Produces<AuditPageResponse>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);

        audit.MapGet("/export", ExportAsync)
            .WithName("ExportAuditRecords")
            .WithSummary("The filtered records, oldest first, as JSONL (with hashes and the covering signed checkpoints) or CSV; streamed.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);

        audit.MapGet("/evidence", async (Guid? tenantId, DateTimeOffset? from, DateTimeOffset? to, HttpContext http,
                AuditEvidencePackage evidence, TimeProvider clock) =>
            {
                var caller = http.Caller();
                var plan = await evidence.BeginAsync(caller, tenantId, from, to, http.RequestAborted);
                if (!plan.Succeeded)
                {
                    return plan.ToHttpResult(_ => Results.Ok());
                }

                http.Response.ContentType = "application/zip";
                http.Response.Headers.ContentDisposition =
                    $"attachment; filename=\"audit-evidence-{plan.Value!.From:yyyyMMdd}-{plan.Value.To:yyyyMMdd}.zip\"";
                await evidence.WriteAsync(caller, plan.Value, http.Response.Body, http.RequestAborted);
                return Results.Empty;
            })
            .WithName("GetAuditEvidencePackage")
            .WithSummary("One zip of evidence for a tenant and a period: the audit export with its signed manifest, the public keys, the verification result, residency, SLA and access review, and a signed index of every file's SHA-256.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);

        audit.MapGet("/archives", async (Guid? tenantId, HttpContext http, AuditArchiver archiver) =>
            {
                var scope = AuditReader.ScopeFor(http.Caller(), tenantId);
                return scope.Succeeded
                    ? Results.Ok((await archiver.ListAsync(scope.Value!, http.RequestAborted)).Select(AuditArchiveResponse.Of))
                    : scope.ToHttpResult(_ => Results.Ok());
            })
            .WithName("ListAuditArchives")
            .WithSummary("The retention archive's files of a tenant's chain (or the platform's), newest first: range, count, period, file hash.")
            .Produces<IEnumerable<AuditArchiveResponse>>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);

        audit.MapGet("/archives/{id:long}", DownloadArchiveAsync)
            .WithName("DownloadAuditArchive")
            .WithSummary("One archive file as written: a signed export (format v2) that `portal audit verify` checks offline.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);

        audit.MapGet("/status", async (HttpContext http, AuditReader reader) =>
                await reader.LatestRunAsync(http.RequestAborted) is { } run ? Results.Ok(run) : Results.NoContent())
            .WithName("GetAuditVerificationStatus")
            .WithSummary("The latest verification run of the chain: verified up to which record, or the first bad one.");

        audit.MapPost("/verify", (HttpContext http, IBackgroundJobClient jobs) =>
            {
                var caller = http.Caller();
                var allowed = caller.IsSupport || caller.Tenants.Any(t => AuditReader.ScopeFor(caller, t.TenantId).Succeeded);
                if (!allowed)
                {
                    return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                        detail: "Only TenantAdmin, Auditor and Support can start a verification.");
                }

                var id = jobs.Enqueue<AuditVerificationJob>(job => job.RunAsync(true, CancellationToken.None));
                return Results.Accepted(value: new { jobId = id });
            })
            .WithName("VerifyAuditChain").WithSummary("Queue a full verification of the chain.");

        return api;
    }

    private static async Task<IResult> DownloadArchiveAsync(long id, Guid? tenantId, HttpContext http, AuditArchiver archiver, AuditLog auditLog)
    {
        var caller = http.Caller();
        var scope = AuditReader.ScopeFor(caller, tenantId);
        if (!scope.Succeeded)
        {
            return scope.ToHttpResult(_ => Results.Ok());
        }

        var archive = await archiver.FindAsync(scope.Value!, id, http.RequestAborted);
        var path = archive is null ? null : archiver.PathOf(archive);
        if (archive is null || !File.Exists(path))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: archive is null ? "No such archive file in this audit log." : $"The archive file {archive.FileName} is missing from the archive directory.");
        }

        await auditLog.RecordAsync(caller, scope.Value!.TenantId, "audit.archive_downloaded", "audit-archive", archive.FileName,
            details: new { archive.Chain, archive.FirstSequence, archive.LastSequence, archive.FileSha256 }, cancellationToken: http.RequestAborted);
        return Results.File(path!, "application/x-ndjson; charset=utf-8", archive.FileName);
    }

    private static async Task<IResult> ExportAsync([AsParameters] AuditQuery query, string? format, HttpContext http,
        AuditReader reader, AuditExporter exporter, AuditLog auditLog, TimeProvider clock)
    {
        var caller = http.Caller();
        var scope = AuditReader.ScopeFor(caller, query.TenantId);
        if (!scope.Succeeded)
        {
            return scope.ToHttpResult(_ => Results.Ok());
        }

        format = (format ?? "jsonl").ToLowerInvariant();
        if (format is not ("jsonl" or "csv"))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["Format must be jsonl or csv."] });
        }

        var filter = query.ToFilter();
        var described = new Dictionary<string, string>(filter.Describe() ?? new Dictionary<string, string>())
        {
            ["scope"] = scope.Value!.TenantId?.ToString() ?? "platform",
        };
        await auditLog.RecordAsync(caller, scope.Value.TenantId, "audit.exported", "audit-log", scope.Value.TenantId?.ToString() ?? "platform",
            details: new { format, filter = described }, cancellationToken: http.RequestAborted);

        var stamp = clock.GetUtcNow();
        http.Response.ContentType = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{stamp:yyyyMMdd-HHmmss}.{format}\"";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), bufferSize: 64 * 1024) { NewLine = "\n" };
        if (format == "csv")
        {
            await AuditCsvWriter.WriteAsync(writer, reader.StreamAsync(scope.Value, filter, http.RequestAborted), http.RequestAborted);
        }
        else
        {
            await exporter.WriteJsonlAsync(writer, scope.Value, filter, stamp, http.RequestAborted);
        }

        return Results.Empty;
    }
}

/// <summary>One file of the retention archive, as the API lists it.</summary>
public sealed record AuditArchiveResponse(
    long Id, string Chain, long FirstSequence, long LastSequence, long RecordCount, string LastHash,
    DateTimeOffset PeriodFrom, DateTimeOffset PeriodTo, DateTimeOffset ArchivedAt, string FileName, string FileSha256)
{
    public static AuditArchiveResponse Of(Portal.Data.Entities.AuditArchive a) =>
        new(a.Id, a.Chain, a.FirstSequence, a.LastSequence, a.RecordCount, a.LastHash, a.PeriodFrom, a.PeriodTo, a.ArchivedAt, a.FileName, a.FileSha256);
}
