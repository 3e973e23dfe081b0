using System.Text;
using System.Text.Json;
using Portal.Core.Logs;
using Portal.Deployments;

namespace Portal.Api;

/// <summary>A replica's engine output: a range (text or JSON lines), a download (audited) or a live follow (chunked text or SSE).</summary>
public static class ReplicaLogsApi
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    public static RouteGroupBuilder MapReplicaLogsApi(this RouteGroupBuilder deployments)
    {
        deployments.MapGet("/{id:guid}/replicas/{replicaId}/logs", GetAsync)
            .WithName("GetReplicaLogs")
            .WithSummary("A replica's engine output, secrets redacted: since/until (RFC 3339 or 10m, 2h, 1d), q (substring), limit (1–10000, newest kept).")
            .WithDescription("format=text (default) or json (one {time, text} object per line). download=true answers as an attachment and is "
                + "recorded in the tenant's audit log. follow=true sends the selected lines, then each new one as the engine writes it, until the "
                + "client disconnects: chunked text, or server-sent events when the request accepts text/event-stream. TenantAdmin and Developer "
                + "of the tenant, and support staff inside a look-in; another tenant's deployment answers 404.")
            .Produces(StatusCodes.Status200OK, contentType: "text/plain")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);
        return deployments;
    }

    private static async Task<IResult> GetAsync(Guid id, string replicaId, Guid? tenantId, string? since, string? until, string? q, string? limit,
        string? format, string? follow, string? download, HttpContext http, ReplicaLogService service)
    {
        if (DeploymentsApi.Tenant(http, tenantId) is not { } tenant)
        {
            return DeploymentsApi.NoTenant();
        }

        var (query, errors) = LogQuery.Parse(since, until, q, limit, service.Now);
        var asJson = format switch
        {
            null or "" or "text" => false,
            "json" => true,
            _ => (bool?)null,
        };
        var flags = new Dictionary<string, bool?> { ["follow"] = Flag(follow), ["download"] = Flag(download) };
        var problems = errors.ToDictionary(e => e.Key, e => e.Value);
        if (asJson is null)
        {
            problems["format"] = ["format must be text or json."];
        }

        foreach (var (name, value) in flags.Where(f => f.Value is null))
        {
            problems[name] = [$"{name} must be true or false."];
        }

        if (problems.Count > 0)
        {
            return Results.ValidationProblem(problems, title: "The request is not valid");
        }

        var caller = http.Caller();
        var opened = await service.OpenAsync(caller, tenant, id, replicaId, http.RequestAborted);
        if (!opened.Succeeded)
        {
            return opened.ToHttpResult(_ => Results.Empty);
        }

        var source = opened.Value!;
        var isDownload = flags["download"] == true;
        var read = await service.ReadAsync(caller, source, query!, isDownload, http.RequestAborted);
        if (!read.Succeeded)
        {
            return read.ToHttpResult(_ => Results.Empty);
        }

        var sse = flags["follow"] == true && http.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);
        var response = http.Response;
        response.ContentType = sse ? "text/event-stream" : asJson == true ? "application/x-ndjson; charset=utf-8" : "text/plain; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        if (isDownload)
        {
            response.Headers.ContentDisposition =
                $"attachment; filename=\"{source.DeploymentName}-{source.RuntimeReplicaId}-{service.Now:yyyyMMdd-HHmmss}.{(asJson == true ? "jsonl" : "log")}\"";
        }

        foreach (var line in read.Value!)
        {
            await WriteAsync(response, line, asJson == true, sse, http.RequestAborted);
        }

        if (flags["follow"] == true)
        {
            await response.Body.FlushAsync(http.RequestAborted);
            try
            {
                await foreach (var line in service.FollowAsync(source, query!.Search, http.RequestAborted))
                {
                    await WriteAsync(response, line, asJson == true, sse, http.RequestAborted);
                    await response.Body.FlushAsync(http.RequestAborted);
                }
            }
            catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
            {
                // The reader went away: following ends with it.
            }
        }

        return Results.Empty;
    }

    private static bool? Flag(string? value) => value switch
    {
        null or "" or "false" => false,
        "true" => true,
        _ => null,
    };

    private static Task WriteAsync(HttpResponse response, LogLine line, bool asJson, bool sse, CancellationToken ct)
    {
        var text = asJson || sse ? JsonSerializer.Serialize(new { time = line.Time, text = line.Text }, _json) : line.Text;
        return response.WriteAsync(sse ? $"data: {text}\n\n" : text + "\n", Encoding.UTF8, ct);
    }
}
