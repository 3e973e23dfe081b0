using System.Diagnostics;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Latency;
using Portal.Components.Pages.Observability;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Hosting;
using Portal.Identity;
using Portal.Inference;
using Portal.Quotas;

namespace Portal.Observability;

/// <summary>
/// The console's first page after a start, made quick. Once the process serves, it reads once what the Overview and the
/// Observability page read, for one endpoint of the platform, as a read-only system caller (an auditor of that endpoint's
/// tenant): EF Core compiles each query the first time it meets its shape, and the code behind the figures runs for the
/// first time, so the first person to open a page after a deploy does not pay for either. The endpoint is the one with the
/// latest traffic. Measured in the `gateway`
/// benchmark's cold start (docs/benchmarks.md): the first page's figures took 92 ms of server time instead of 663. Before
/// that it asks itself for the sign-in page, as a browser would before anyone signs in: the first server render of a page
/// (the renderer, antiforgery, the data-protection keys) then happens at start, not in the first person's sign-in. It
/// writes nothing, keeps nothing (the figures it computes are thrown away) and a failure is logged, never raised.
/// <c>Observability:WarmUpOnStart=false</c> turns it off.
/// </summary>
public sealed class ConsoleWarmUp(
    IServiceScopeFactory scopes,
    IDbContextFactory<PortalDbContext> dbFactory,
    IServer server,
    IHostApplicationLifetime lifetime,
    IOptions<ObservabilityOptions> options,
    ILogger<ConsoleWarmUp> logger) : BackgroundService
{
    /// <summary>Who the warm-up reads as: never a person, never from a request, never able to change anything.</summary>
    public const string ActorId = "system:console-warm-up";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WarmUpOnStart)
        {
            return;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        try
        {
            await RenderSignInPageAsync(stoppingToken);
            if (await WarmUpAsync(stoppingToken) is { } read)
            {
                await RenderObservabilityPageAsync(read.Caller, read.Model, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Best effort: a background service's exception would stop the host, and nothing here is worth that.
            logger.LogWarning(e, "The console's warm-up after start failed; the first page will compile its queries itself.");
        }
    }

    /// <summary>The sign-in page, asked of this process's own address with no cookie: anonymous, read-only, never audited.</summary>
    private async Task RenderSignInPageAsync(CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
            {
                BaseAddress = OwnAddress.Of(server, "the console's warm-up"),
                Timeout = TimeSpan.FromSeconds(30),
            };
            using var response = await client.GetAsync(SignInPath, ct);
            logger.LogInformation("Console warm-up: the sign-in page answered {Status} in {Elapsed:0} ms.", (int)response.StatusCode, watch.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Console warm-up: the sign-in page could not be asked for ({Message}); the first sign-in will render it itself.", e.Message);
        }
    }

    /// <summary>The page the warm-up renders first.</summary>
    public const string SignInPath = "account/login";

    private async Task<(Caller Caller, string Model)?> WarmUpAsync(CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await using (var resolving = scopes.CreateAsyncScope())
        {
            // Every signed-in request, the sign-in included, resolves its caller by one query (the person and their
            // memberships): compiled here for a subject no one has, so it reads no one.
            var nobody = new ClaimsPrincipal(new ClaimsIdentity([new Claim(CallerResolver.SubjectClaim, Guid.NewGuid().ToString())], WarmUpIdentity.AuthenticationKind));
            await resolving.ServiceProvider.GetRequiredService<CallerResolver>().ResolveAsync(nobody, ct);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The endpoint whose traffic is the latest, as the one most likely opened first: its figures take the paths that
        // read and merge rollups, which an endpoint without traffic never reaches.
        var endpoint = await db.Endpoints.AsNoTracking()
            .Select(e => new { e.TenantId, e.Name, e.Id, Latest = db.MinuteRollups.Where(r => r.EndpointId == e.Id).Max(r => (DateTimeOffset?)r.Start) })
            .OrderByDescending(e => e.Latest).ThenBy(e => e.Id)
            .FirstOrDefaultAsync(ct);
        if (endpoint is null)
        {
            logger.LogInformation("Console warm-up: no endpoint yet, nothing to read.");
            return null;
        }

        var caller = new Caller(ActorId, "Console warm-up", IsClient: true, IsSupport: false,
            [new TenantAccess(endpoint.TenantId, string.Empty, TenantRole.Auditor)]) { IsSystem = true };
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await services.GetRequiredService<QuotaService>().GetAsync(caller, endpoint.TenantId, ct);
        var endpoints = await services.GetRequiredService<EndpointService>().ListAsync(caller, endpoint.TenantId, ct);
        var view = endpoints.Value?.FirstOrDefault(e => e.Name == endpoint.Name);
        // The page's default window reads hour rollups, the last hour minute rollups: two query shapes.
        foreach (var window in new[] { TimeWindow.OneDay, TimeWindow.OneHour })
        {
            var report = await services.GetRequiredService<TtftService>().GetAsync(caller, endpoint.TenantId, new TtftQuery(endpoint.Name, window.Name), ct);
            if (report.Value is null || view is null)
            {
                logger.LogWarning("Console warm-up: the figures of {Model} could not be read ({Message}); the first page will compile its queries itself.",
                    endpoint.Name, report.Message ?? endpoints.Message);
                return null;
            }

            await services.GetRequiredService<ServerTtftHistory>().SummaryAsync(endpoint.TenantId, view.Primary.Id, report.Value.From, ct);
        }

        logger.LogInformation("Console warm-up: read {Endpoints} endpoint(s) of one tenant and the TTFT figures of {Model} (1d and 1h) in {Elapsed:0} ms.",
            endpoints.Value!.Count, endpoint.Name, watch.Elapsed.TotalMilliseconds);
        return (caller, endpoint.Name);
    }

    /// <summary>
    /// The Observability page of <paramref name="model"/>, rendered once inside the process as the read-only system caller
    /// and thrown away: the page's endpoint is invoked directly with a request built here (no socket, no cookie, no session,
    /// no middleware), so the layout's and the page's components, the renderer and the component markers run for the first
    /// time now. Opened 15 s after a start under 1,000 req/s on two slow cores, the first page took 3.7–4.8 s with it against
    /// 5.6–6.1 s without (docs/benchmarks.md, tenth run).
    /// </summary>
    private async Task RenderObservabilityPageAsync(Caller caller, string model, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await using var scope = scopes.CreateAsyncScope();
        var page = scope.ServiceProvider.GetRequiredService<EndpointDataSource>().Endpoints
            .FirstOrDefault(e => e.Metadata.GetMetadata<ComponentTypeMetadata>()?.Type == typeof(ObservabilityPage));
        if (page?.RequestDelegate is null)
        {
            logger.LogWarning("Console warm-up: the Observability page has no endpoint to render.");
            return;
        }

        var own = OwnAddress.Of(server, "the console's warm-up");
        var context = new DefaultHttpContext
        {
            RequestServices = scope.ServiceProvider,
            User = new ClaimsPrincipal(new WarmUpIdentity(caller)),
            RequestAborted = ct,
        };
        context.Request.Method = HttpMethods.Get;
        context.Request.Scheme = own.Scheme;
        context.Request.Host = new HostString(own.Authority);
        context.Request.Path = ObservabilityPath;
        context.Request.QueryString = QueryString.Create([new KeyValuePair<string, string?>("model", model), new("window", TimeWindow.OneHour.Name)]);
        using var html = new MemoryStream();
        context.Response.Body = html;
        context.SetEndpoint(page);
        await page.RequestDelegate(context);
        // Read once to say what was rendered, then dropped with the stream.
        var rendered = Encoding.UTF8.GetString(html.GetBuffer(), 0, (int)html.Length);
        if (context.Response.StatusCode == StatusCodes.Status200OK && rendered.Contains(ModelPickerMarker, StringComparison.Ordinal))
        {
            logger.LogInformation("Console warm-up: rendered the Observability page of {Model} ({Size} KB) in {Elapsed:0} ms.",
                model, html.Length / 1024, watch.Elapsed.TotalMilliseconds);
        }
        else
        {
            logger.LogWarning("Console warm-up: the Observability page answered {Status} without its figures; the first person to open it will render it first.",
                context.Response.StatusCode);
        }
    }

    /// <summary>The page the warm-up renders after the reads.</summary>
    public const string ObservabilityPath = "/observability";

    /// <summary>In the page only when it listed the tenant's endpoints, so only when it rendered as a caller of the tenant.</summary>
    private const string ModelPickerMarker = "data-testid=\"model-picker\"";
}
