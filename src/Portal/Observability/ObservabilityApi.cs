using System.Text;
using System.Text.Json;
using Portal.Api;
using Portal.Core.Latency;
using Portal.Identity;

namespace Portal.Observability;

/// <summary>The numbers of the TTFT and migration pages as JSON (docs/observability-api.md).</summary>
public static class ObservabilityApi
{
    public static RouteGroupBuilder MapObservabilityApi(this RouteGroupBuilder api)
    {
        api.MapGet("/observability/ttft", async (string? model, string? window, string? tier, string? region, Guid? endpointId, Guid? tenantId,
                    HttpContext http, TtftService service) =>
                DeploymentsApi.Tenant(http, tenantId) is not { } tenant ? DeploymentsApi.NoTenant()
                : string.IsNullOrWhiteSpace(model) ? Results.ValidationProblem(new Dictionary<string, string[]> { ["model"] = ["Name the model (the endpoint name programs send)."] })
                : (await service.GetAsync(http.Caller(), tenant, new TtftQuery(model, window, tier, region, endpointId), http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithTags("Observability").WithName("GetTtft")
            .WithSummary("TTFT of one model over 1h, 24h, 7d or 30d: percentiles, vLLM-bucket histogram, p50/p99 series, tiers, cold starts.")
            .Produces<TtftReport>().ProducesValidationProblem();

        api.MapGet(SamplesExportPath, ExportSamplesAsync)
            .WithTags("Observability").WithName("ExportSamples")
            .WithSummary("The raw request samples of one endpoint over a window (at most 31 days), oldest first, as JSONL or CSV; measured fields only, no content; streamed.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/signals", async (string? model, Guid? tenantId, HttpContext http, SignalsService service) =>
                DeploymentsApi.Tenant(http, tenantId) is not { } tenant ? DeploymentsApi.NoTenant()
                : string.IsNullOrWhiteSpace(model)
                    ? (await service.FleetAsync(http.Caller(), tenant, http.RequestAborted)).ToHttpResult(Results.Ok)
                    : (await service.GetAsync(http.Caller(), tenant, model, http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithTags("Observability").WithName("GetSignals")
            .WithSummary("Migration signals and recommendation of one model; without a model, every model of the tenant (fleet overview).")
            .Produces<SignalsReport>().Produces<FleetReport>();
        return api;
    }

    public const string SamplesExportPath = "/observability/samples/export";

    private static readonly JsonSerializerOptions SampleJson = new(JsonSerializerDefaults.Web);

    private static async Task<IResult> ExportSamplesAsync(Guid? tenantId, Guid? endpointId, DateTimeOffset? from, DateTimeOffset? to, string? format,
        HttpContext http, SampleExportService service, TimeProvider clock)
    {
        if (DeploymentsApi.Tenant(http, tenantId) is not { } tenant)
        {
            return DeploymentsApi.NoTenant();
        }

        if (endpointId is not { } endpoint)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["endpointId"] = ["Name the endpoint whose samples to export."] });
        }

        format = (format ?? "jsonl").ToLowerInvariant();
        if (format is not ("jsonl" or "csv"))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["Format must be jsonl or csv."] });
        }

        var window = SampleExportWindow.Resolve(from, to, clock.GetUtcNow());
        if (window.Field is { } field)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [window.Error!] });
        }

        var allowed = await service.EndpointNameAsync(http.Caller(), tenant, endpoint, http.RequestAborted);
        if (!allowed.Succeeded)
        {
            return allowed.ToHttpResult(Results.Ok);
        }

        http.Response.ContentType = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        http.Response.Headers.ContentDisposition =
            $"attachment; filename=\"samples-{FileNamePart(allowed.Value!)}-{window.From.UtcDateTime:yyyyMMdd-HHmmss}.{format}\"";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), bufferSize: 64 * 1024) { NewLine = "\n" };
        var rows = service.StreamAsync(tenant, endpoint, window.From, window.To, http.RequestAborted);
        if (format == "csv")
        {
            await SampleCsvWriter.WriteAsync(writer, rows, http.RequestAborted);
            return Results.Empty;
        }

        long count = 0;
        await foreach (var row in rows)
        {
            await writer.WriteLineAsync(JsonSerializer.Serialize(row, SampleJson).AsMemory(), http.RequestAborted);
            if (++count % SampleCsvWriter.FlushInterval == 0)
            {
                await writer.FlushAsync(http.RequestAborted);
            }
        }

        await writer.FlushAsync(http.RequestAborted);
        return Results.Empty;
    }

    /// <summary>The endpoint's name as far as it is safe in a header's file name (ASCII letters, digits, '.', '-', '_').</summary>
    private static string FileNamePart(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-').ToArray());
}
