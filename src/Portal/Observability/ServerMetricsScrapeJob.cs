using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Deployments;
using Portal.Core.Gateway;
using Portal.Core.Metrics;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Deployments;
using Portal.Hosting;

namespace Portal.Observability;

/// <summary>
/// One batched job for every tenant: scrapes the Prometheus <c>/metrics</c> of each Ready replica and each serverless
/// target, a bounded number at a time, and records the engines' TTFT histogram per target in
/// <see cref="ServerTtftHistory"/>. A source that does not answer, or serves no TTFT histogram, is skipped and keeps its
/// baseline, so its next successful scrape counts the interval. Each replica's generated-token counter and waiting
/// requests are kept too (<see cref="EngineReadingRow"/>): the intervals in which requests waited measure its capacity. A distributed lock makes a second portal instance skip
/// a run the first is doing; the baselines' concurrency token makes a run that overlaps another anyway record nothing.
/// </summary>
public sealed class ServerMetricsScrapeJob(
    IDbContextFactory<PortalDbContext> dbFactory,
    IHttpClientFactory httpFactory,
    ServerTtftHistory history,
    IOptions<ObservabilityOptions> options,
    JobStorage jobStorage,
    TimeProvider clock,
    ReplicaKeys replicaKeys,
    ILogger<ServerMetricsScrapeJob> logger)
{
    public const string RecurringId = "observability-server-ttft-scrape";
    public const string HttpClientName = nameof(ServerMetricsScrapeJob);

    /// <summary>The guarded client for serverless targets' URLs, which come from tenants.</summary>
    public const string TenantHttpClientName = nameof(ServerMetricsScrapeJob) + ".tenant";

    /// <summary>Largest /metrics body read from a replica; a tenant-given source is capped by <c>Outbound:MaxResponseBytes</c>.</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>
    /// A place to scrape and the target (and its tenant) its measurements belong to. A replica's own key goes along:
    /// vLLM leaves /metrics open, but an engine that guards every route is scraped the same way.
    /// </summary>
    /// <param name="TenantGiven">A serverless target's URL (a tenant's word), scraped through the guarded client.</param>
    public sealed record Source(Guid TenantId, Guid TargetId, string Name, Uri MetricsUri, string? ApiKey = null, bool TenantGiven = false)
    {
        /// <summary>Never prints the key.</summary>
        public override string ToString() => $"{Name} at {MetricsUri}";
    }

    /// <returns>How many sources served a TTFT histogram; null when another instance is running the scrape.</returns>
    [AutomaticRetry(Attempts = 0)]
    public Task<int?> RunAsync(CancellationToken cancellationToken) =>
        OneInstanceAtATime.RunAsync<int>(jobStorage, "observability:server-ttft-scrape", async () =>
        {
            var (scrapes, readings) = await ScrapeAsync(cancellationToken);
            await history.RecordAsync(scrapes, clock.GetUtcNow(), cancellationToken);
            await RecordReadingsAsync(readings, cancellationToken);
            return scrapes.Count;
        });

    /// <summary>Each replica's generated-token counter and waiting requests: what its capacity at load is measured from.</summary>
    private async Task RecordReadingsAsync(IReadOnlyList<EngineReadingRow> readings, CancellationToken cancellationToken)
    {
        if (readings.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.EngineReadings.AddRange(readings);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<(IReadOnlyList<ServerTtftHistory.Scrape> Scrapes, IReadOnlyList<EngineReadingRow> Readings)> ScrapeAsync(CancellationToken cancellationToken)
    {
        var sources = await SourcesAsync(cancellationToken);
        var client = httpFactory.CreateClient(HttpClientName);
        var tenantClient = httpFactory.CreateClient(TenantHttpClientName);
        var scraped = new ConcurrentBag<ServerTtftHistory.Scrape>();
        var readings = new ConcurrentBag<EngineReadingRow>();
        await Parallel.ForEachAsync(sources, new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Max(1, options.Value.ScrapeConcurrency), CancellationToken = cancellationToken,
        }, async (source, ct) =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, options.Value.ScrapeTimeoutSeconds)));
                using var request = new HttpRequestMessage(HttpMethod.Get, source.MetricsUri);
                if (source.ApiKey is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", source.ApiKey);
                }

                using var response = await (source.TenantGiven ? tenantClient : client).SendAsync(request, timeout.Token);
                response.EnsureSuccessStatusCode();
                var text = await response.Content.ReadAsStringAsync(timeout.Token);
                if (ServerTtftHistogram.Parse(text) is { } histogram)
                {
                    scraped.Add(new ServerTtftHistory.Scrape(source.TenantId, new ScrapedTtft(source.TargetId, source.Name, histogram), clock.GetUtcNow()));
                }

                if (!source.TenantGiven && EngineCounters.Parse(text) is { } counters)
                {
                    readings.Add(new EngineReadingRow
                    {
                        TenantId = source.TenantId, TargetId = source.TargetId, Source = source.Name, At = clock.GetUtcNow(),
                        GenerationTokens = counters.GenerationTokens, Waiting = counters.Waiting,
                    });
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                logger.LogDebug("No metrics from {Source}: {Reason}", source.MetricsUri, e.Message);
            }
        });
        return ([.. scraped], [.. readings]);
    }

    /// <summary>Ready replicas (under each target of their deployment) and serverless targets with a base URL.</summary>
    public async Task<IReadOnlyList<Source>> SourcesAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var targets = await db.Targets.AsNoTracking().Select(t => new { t.Id, t.TenantId, t.Kind, t.DeploymentId, t.BaseUrl }).ToListAsync(cancellationToken);
        var replicas = await db.Replicas.AsNoTracking().Where(r => r.Phase == ReplicaPhase.Ready && r.BaseUrl != null)
            .ToListAsync(cancellationToken);
        var sources = new List<Source>();
        foreach (var target in targets)
        {
            if (target.Kind == TargetKind.Dedicated && target.DeploymentId is { } deployment)
            {
                sources.AddRange(replicas.Where(r => r.DeploymentId == deployment && Uri.TryCreate(r.BaseUrl, UriKind.Absolute, out _))
                    .Select(r => new Source(target.TenantId, target.Id, $"replica/{r.Id:n}", MetricsUri(r.BaseUrl!), replicaKeys.Reveal(r))));
            }
            else if (target.Kind == TargetKind.Serverless && Uri.TryCreate(target.BaseUrl, UriKind.Absolute, out _))
            {
                sources.Add(new Source(target.TenantId, target.Id, "target", MetricsUri(target.BaseUrl!), TenantGiven: true));
            }
        }

        return sources;
    }

    /// <summary><c>/metrics</c> beside the OpenAI routes: <c>http://host:8000/v1/</c> scrapes <c>http://host:8000/metrics</c>.</summary>
    public static Uri MetricsUri(string baseUrl)
    {
        var root = baseUrl.TrimEnd('/');
        if (root.EndsWith("/v1", StringComparison.OrdinalIgnoreCase))
        {
            root = root[..^3];
        }

        return new Uri(root + "/metrics");
    }
}
