using System.Collections.Frozen;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Deployments;
using Portal.Core.Gateway;
using Portal.Core.Scaling;
using Portal.Core.Sla;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Deployments;
using Portal.Gateway.Seams;
using Portal.Migration.DryRun;
using Portal.Residency;

namespace Portal.Inference;

/// <summary>
/// What the gateway needs on its request path — keys, endpoints, targets, Ready replicas — held in memory and swapped
/// whole, so no request waits on the database. It reloads every couple of seconds (other instances' changes, replica
/// state from the reconciler) and at once when this instance changes a key or an endpoint. Dry runs replaying through
/// this instance add their own keys, endpoints and replicas from <see cref="DryRunTraffic"/>, never stored.
/// </summary>
public sealed class GatewaySnapshot(
    IDbContextFactory<PortalDbContext> dbFactory, IDataProtectionProvider protection, ReplicaKeys replicaKeys, DryRunTraffic dryRuns,
    ILogger<GatewaySnapshot> logger)
    : BackgroundService, IGatewayDirectory, IReplicaStateProvider
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private sealed record State(
        FrozenDictionary<string, GatewayKey> Keys,
        FrozenDictionary<(Guid Tenant, string Model), GatewayEndpoint> Endpoints,
        FrozenDictionary<Guid, IReadOnlyList<GatewayReplica>> Replicas);

    private volatile State _state = new(
        FrozenDictionary<string, GatewayKey>.Empty,
        FrozenDictionary<(Guid, string), GatewayEndpoint>.Empty,
        FrozenDictionary<Guid, IReadOnlyList<GatewayReplica>>.Empty);

    private readonly SemaphoreSlim _reload = new(1, 1);

    public ValueTask<GatewayKey?> FindKeyAsync(string keyHash, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_state.Keys.GetValueOrDefault(keyHash) ?? dryRuns.FindKey(keyHash));

    public ValueTask<GatewayEndpoint?> FindEndpointAsync(Guid tenantId, string model, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_state.Endpoints.GetValueOrDefault((tenantId, model)) ?? dryRuns.FindEndpoint(tenantId, model));

    public ValueTask<IReadOnlyList<GatewayEndpoint>> ListEndpointsAsync(Guid tenantId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<GatewayEndpoint>>(_state.Endpoints.Values.Where(e => e.TenantId == tenantId).OrderBy(e => e.Model).ToList());

    public IReadOnlyList<GatewayReplica> GetReplicas(Guid targetId) => _state.Replicas.GetValueOrDefault(targetId) ?? dryRuns.FindReplicas(targetId) ?? [];

    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _reload.WaitAsync(cancellationToken);
        try
        {
            _state = await LoadAsync(cancellationToken);
        }
        finally
        {
            _reload.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Keep serving the last good snapshot; a database hiccup must not take the data plane down.
                logger.LogWarning(e, "Refreshing the gateway's routing snapshot failed; keeping the previous one.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<State> LoadAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keys = await db.ApiKeys.AsNoTracking().ToListAsync(ct);
        var suspendedTenants = (await db.Tenants.AsNoTracking().Where(t => t.SuspendedAt != null).Select(t => t.Id).ToListAsync(ct)).ToHashSet();
        var targets = await db.Targets.AsNoTracking().Include(t => t.Deployment).ToDictionaryAsync(t => t.Id, ct);
        var endpoints = await db.Endpoints.AsNoTracking().ToListAsync(ct);
        var regionLocks = await ResidencyLocks.EndpointLocksAsync(db, ct);
        var replicas = await db.Replicas.AsNoTracking()
            .Where(r => r.BaseUrl != null && (r.Phase == ReplicaPhase.Ready || r.Phase == ReplicaPhase.Draining))
            .ToListAsync(ct);
        var scaleTargets = await db.AutoscaleSettings.AsNoTracking().ToDictionaryAsync(s => s.DeploymentId, s => s.TargetInFlightPerReplica, ct);
        int SaturationBound(Guid? deploymentId) => (deploymentId is { } id && scaleTargets.TryGetValue(id, out var target)
            ? AutoscalePolicy.Default with { TargetInFlightPerReplica = target }
            : AutoscalePolicy.Default).SaturationBound;
        // Replicas whose latest probe failed get no traffic (the health probes' verdict, see Portal.Health).
        var failing = (await db.ProbeSubjectStates.AsNoTracking().Where(s => !s.LastOk).Select(s => s.SubjectId).ToListAsync(ct)).ToHashSet();

        var unprotect = protection.CreateProtector(ServerlessKeyProtection.Purpose);
        GatewayTarget? ToTarget(Guid? id)
        {
            if (id is not { } targetId || !targets.TryGetValue(targetId, out var t))
            {
                return null;
            }

            return t.Kind == TargetKind.Dedicated
                ? GatewayTarget.Dedicated(t.Id, t.Deployment?.ServedModelName, SaturationBound(t.DeploymentId)) with { Region = t.Region }
                : GatewayTarget.Serverless(t.Id, new Uri(t.BaseUrl!), t.ProtectedApiKey is null ? "" : unprotect.Unprotect(t.ProtectedApiKey),
                    t.Region ?? "", t.UpstreamModel);
        }

        var gatewayEndpoints = endpoints
            .Select(e => (Endpoint: e, Primary: ToTarget(e.PrimaryTargetId)))
            .Where(x => x.Primary is not null)
            .ToFrozenDictionary(
                x => (x.Endpoint.TenantId, x.Endpoint.Name),
                x => new GatewayEndpoint(x.Endpoint.Id, x.Endpoint.TenantId, x.Endpoint.Name, x.Primary!)
                {
                    Shadow = x.Endpoint.ShadowShare > 0 ? ToTarget(x.Endpoint.SecondaryTargetId) : null,
                    ShadowShare = x.Endpoint.ShadowShare,
                    AllowedRegions = regionLocks.GetValueOrDefault(x.Endpoint.Id),
                    CreatedAt = x.Endpoint.CreatedAt,
                });

        var replicasByTarget = targets.Values.Where(t => t.DeploymentId is not null).ToFrozenDictionary(
            t => t.Id,
            t => ProbeRouting.Routable(replicas.Where(r => r.DeploymentId == t.DeploymentId)
                .Select(r => new GatewayReplica(r.Id.ToString(), new Uri(new Uri(r.BaseUrl!), "v1/"), r.Region,
                    r.Phase == ReplicaPhase.Ready ? ReplicaRouteState.Ready : ReplicaRouteState.Draining, r.IsBurst) { ApiKey = replicaKeys.Reveal(r) })
                .ToList(), r => failing.Contains(Guid.Parse(r.Id))));

        return new State(
            keys.ToFrozenDictionary(k => k.KeyHash, k => new GatewayKey(k.Id, k.TenantId, k.Scopes)
            {
                RequestsPerMinute = k.RequestsPerMinute,
                MaxConcurrentRequests = k.MaxConcurrentRequests,
                ExpiresAt = k.ExpiresAt,
                RevokedAt = k.RevokedAt,
                TenantSuspended = suspendedTenants.Contains(k.TenantId),
            }),
            gatewayEndpoints,
            replicasByTarget);
    }
}

/// <summary>Serverless targets' own API keys are stored encrypted with Data Protection under this purpose.</summary>
public static class ServerlessKeyProtection
{
    public const string Purpose = "Portal.Targets.ApiKey.v1";
}
