using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Deployments;
using Portal.Gateway.Outbound;
using Portal.Health;
using Portal.Identity;
using Portal.Inference;
using Portal.Runtimes;
using Portal.Runtimes.Local;

namespace Portal.Demo;

/// <summary>What the generator calls: the endpoint name and, for a deployment, whether it has a Ready replica yet.</summary>
public sealed record DemoTarget(string Endpoint, string Kind, Guid? DeploymentId);

public sealed record DemoSetup(Guid TenantId, Caller Actor, string ApiKey, IReadOnlyList<DemoTarget> Targets);

/// <summary>
/// Finds or creates the demo's resources in the demo tenant, through the same services people use, as the named system
/// actor "Demo runner": the serverless simulator process (adopted when it still runs), its endpoint, the dedicated
/// deployment and the generator's inference key. Safe to run on every start.
/// </summary>
public sealed class DemoResources(
    IServiceProvider services,
    IOptions<DemoOptions> options,
    IOptions<LocalRuntimeOptions> localRuntime,
    IConfiguration configuration,
    IDataProtectionProvider protection,
    ILogger<DemoResources> logger)
{
    public const string ActorId = "system:demo";
    public const string ActorName = "Demo runner";
    public const string KeyName = "Demo traffic generator";

    private const string KeyPurpose = "Portal.Demo.TrafficKey";

    private DemoOptions Options => options.Value;

    private string StateDirectory => Path.GetFullPath(Options.StateDirectory);

    /// <summary>The serverless simulator runs under the local runtime with the demo's own state folder and time scale.</summary>
    public LocalProcessRuntime SimulatorRuntime() => new(new LocalRuntimeOptions
    {
        StateDirectory = Path.Combine(StateDirectory, "simulators"),
        SimulatorPath = localRuntime.Value.SimulatorPath,
        DotnetHost = localRuntime.Value.DotnetHost,
        Host = localRuntime.Value.Host,
        SimulatorTimeScale = Options.ServerlessTimeScale,
        // A serverless service is reached, not deployed: never the real engine, no weight load.
        UseInstalledEngines = false,
        SimulatorWeightLoadSeconds = null,
    });

    public async Task<DemoSetup?> EnsureAsync(Action<string> progress, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        provider.GetRequiredService<AuditContext>().ClientIp = "127.0.0.1";
        await using var db = await provider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);
        var slug = configuration["Seed:TenantSlug"];
        var tenant = slug is null ? null : await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == slug, ct);
        if (tenant is null)
        {
            logger.LogWarning("The demo needs the seeded tenant (Seed:TenantSlug); none was found, so the demo does not run.");
            return null;
        }

        var actor = new Caller(ActorId, ActorName, IsClient: true, IsSupport: false, [new TenantAccess(tenant.Id, tenant.Name, TenantRole.TenantAdmin)]) { IsSystem = true };

        progress("Starting the serverless simulator");
        var simulator = await EnsureSimulatorAsync(tenant.Id, provider.GetRequiredService<ModelCatalog>(), ct);
        // The demo's "provider" is a process the platform started on loopback: exactly its address is let through the
        // outbound guard, nothing else of loopback.
        provider.GetRequiredService<OutboundGuard>().AllowPlatformTarget(simulator.BaseUri.Host, simulator.BaseUri.Port);

        progress("Registering the serverless endpoint");
        await EnsureServerlessEndpointAsync(provider.GetRequiredService<EndpointService>(), provider.GetRequiredService<ProbeSettingsService>(), actor, tenant.Id, simulator, ct);

        progress("Deploying the dedicated endpoint");
        var deploymentId = await EnsureDeploymentAsync(provider.GetRequiredService<DeploymentService>(), actor, tenant.Id, ct);

        progress("Creating the generator's inference key");
        var key = await EnsureKeyAsync(provider.GetRequiredService<ApiKeyService>(), actor, tenant.Id, ct);

        return new DemoSetup(tenant.Id, actor, key,
        [
            new DemoTarget(Options.ServerlessEndpoint, "Serverless", null),
            new DemoTarget(Options.DedicatedDeployment, "Dedicated", deploymentId),
        ]);
    }

    /// <summary>Stops the serverless simulator (it outlives the portal by design, to be adopted at the next start).</summary>
    public async Task StopSimulatorAsync(Guid tenantId, CancellationToken ct = default)
    {
        using var runtime = SimulatorRuntime();
        await runtime.RemoveDeploymentAsync(SimulatorId(tenantId), ct);
    }

    /// <summary>A stable id per tenant for the simulator's state folder, so a restarted portal finds the process it started.</summary>
    public static Guid SimulatorId(Guid tenantId) => new(MD5.HashData(Encoding.UTF8.GetBytes("portal-demo-serverless:" + tenantId)));

    private async Task<(Uri BaseUri, string ServedModel)> EnsureSimulatorAsync(Guid tenantId, ModelCatalog catalog, CancellationToken ct)
    {
        var deployment = ServerlessStandIn(catalog);
        using var runtime = SimulatorRuntime();
        var id = SimulatorId(tenantId);
        foreach (var handle in await runtime.ListReplicasAsync(id, ct))
        {
            if ((await runtime.GetStatusAsync(handle, ct)).State == ReplicaState.Ready && handle.BaseUri is { } running)
            {
                logger.LogInformation("Demo: adopted the serverless simulator (process {ProcessId}) at {BaseUri}", handle.ProcessId, running);
                return (running, deployment.ServedModelName);
            }

            await runtime.StopReplicaAsync(handle, ct);
        }

        var started = await runtime.StartReplicaAsync(new ReplicaLaunch { TenantId = tenantId, DeploymentId = id, Deployment = deployment, Dedicated = false }, ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while ((await runtime.GetStatusAsync(started, timeout.Token)).State != ReplicaState.Ready)
        {
            await Task.Delay(200, timeout.Token);
        }

        logger.LogInformation("Demo: started the serverless simulator (process {ProcessId}) at {BaseUri}: {CommandLine}",
            started.ProcessId, started.BaseUri, started.CommandLine);
        return (started.BaseUri!, deployment.ServedModelName);
    }

    /// <summary>The model the serverless provider serves, resolved like a deployment so the simulator gets its size and limits.</summary>
    private ResolvedDeployment ServerlessStandIn(ModelCatalog catalog)
    {
        var spec = new DeploymentSpec
        {
            Name = Options.ServerlessEndpoint,
            Model = new ModelReference { Source = ModelSource.Catalog, CatalogId = Options.ServerlessCatalogModel },
            GpuType = "h200-141gb",
            GpusPerReplica = 8,
            Region = Options.DedicatedRegion,
        };
        return DeploymentValidator.Validate(spec, catalog, DeploymentValidationContext.Unrestricted).Deployment
            ?? throw new InvalidOperationException($"Demo:ServerlessCatalogModel {Options.ServerlessCatalogModel} is not a catalog model that fits 8 × H200.");
    }

    private async Task EnsureServerlessEndpointAsync(
        EndpointService endpoints, ProbeSettingsService probes, Caller actor, Guid tenantId, (Uri BaseUri, string ServedModel) simulator, CancellationToken ct)
    {
        var baseUrl = new Uri(simulator.BaseUri, "v1/").ToString();
        var target = new ServerlessTargetRequest(baseUrl, simulator.ServedModel, "sk-sim-" + RandomNumberGenerator.GetHexString(32, lowercase: true),
            Options.DedicatedRegion, Options.ServerlessInputPricePerMillion, Options.ServerlessOutputPricePerMillion);
        var existing = Value(await endpoints.ListAsync(actor, tenantId, ct)).FirstOrDefault(e => e.Name == Options.ServerlessEndpoint);
        if (existing is null)
        {
            existing = Value(await endpoints.CreateServerlessAsync(actor, tenantId, new CreateServerlessEndpointRequest(Options.ServerlessEndpoint, target), ct));
        }
        else if (existing.Primary.Kind == "Serverless" && existing.Primary.BaseUrl != baseUrl)
        {
            // The simulator came back on another port (the host restarted): point the endpoint at it the way a person
            // would move an endpoint, a secondary target and a flip, both audited.
            Value(await endpoints.SetShadowAsync(actor, tenantId, existing.Id, new ShadowRequest(0, null, target), ct));
            existing = Value(await endpoints.FlipAsync(actor, tenantId, existing.Id, ct));
        }

        if (existing.Primary.Kind == "Serverless")
        {
            // Watched passively (no TTFT probes: they would keep it warm), judged by the provider's scale-to-zero delay.
            Value(await probes.SetAsync(actor, tenantId, existing.Primary.Id,
                new ProbeSettingsRequest(TtftProbes: false, Options.ServerlessIdleTimeoutSeconds * Options.ServerlessTimeScale), ct));
        }
    }

    private async Task<Guid> EnsureDeploymentAsync(DeploymentService deployments, Caller actor, Guid tenantId, CancellationToken ct)
    {
        var existing = Value(await deployments.ListAsync(actor, tenantId, ct)).FirstOrDefault(d => d.Name == Options.DedicatedDeployment);
        if (existing is not null)
        {
            return existing.Id;
        }

        var created = Value(await deployments.CreateAsync(actor, tenantId, new DeploymentSpec
        {
            Name = Options.DedicatedDeployment,
            Model = new ModelReference { Source = ModelSource.Catalog, CatalogId = Options.DedicatedCatalogModel },
            Engine = InferenceEngine.Vllm,
            GpuType = Options.DedicatedGpuType,
            GpusPerReplica = 1,
            BaselineReplicas = 1,
            MaxReplicas = 2,
            Region = Options.DedicatedRegion,
        }, ct));
        return created.Id;
    }

    private async Task<string> EnsureKeyAsync(ApiKeyService keys, Caller actor, Guid tenantId, CancellationToken ct)
    {
        var path = Path.Combine(StateDirectory, "generator-key.json");
        var protector = protection.CreateProtector(KeyPurpose);
        if (File.Exists(path))
        {
            try
            {
                var stored = JsonSerializer.Deserialize<StoredKey>(await File.ReadAllTextAsync(path, ct));
                var active = Value(await keys.ListAsync(actor, tenantId, ct))
                    .Any(k => k.Id == stored?.KeyId && k.RevokedAt is null && (k.ExpiresAt is null || k.ExpiresAt > DateTimeOffset.UtcNow));
                if (stored is not null && active)
                {
                    return protector.Unprotect(stored.ProtectedSecret);
                }
            }
            catch (Exception e) when (e is JsonException or System.Security.Cryptography.CryptographicException)
            {
                logger.LogWarning("Demo: the stored generator key cannot be read ({Message}); creating a new one.", e.Message);
            }
        }

        var created = Value(await keys.CreateAsync(actor, tenantId, new CreateApiKeyRequest(KeyName, null, null, null, null), ct));
        Directory.CreateDirectory(StateDirectory);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new StoredKey(created.Key.Id, protector.Protect(created.Secret))), ct);
        return created.Secret;
    }

    private static T Value<T>(Tenancy.ServiceResult<T> result) => result.Value
        ?? throw new InvalidOperationException($"Demo set-up refused: {result.Message ?? string.Join(" ", result.Errors?.Values.SelectMany(e => e) ?? [])}");

    private sealed record StoredKey(Guid KeyId, string ProtectedSecret);
}
