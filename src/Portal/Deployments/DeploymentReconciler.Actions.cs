using System.Net.Http.Headers;
using System.Net.Http.Json;
using Portal.Core.Deployments;
using Portal.Core.Deployments.Reconciling;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Runtimes;

namespace Portal.Deployments;

/// <summary>How the reconciler performs a plan's actions on the database rows and the runtime.</summary>
public sealed partial class DeploymentReconciler
{
    /// <summary>Performs a plan's actions in order; <paramref name="slots"/> are the replicas the plan's slots index.</summary>
    private async Task ApplyAsync(Pass pass, List<Replica> slots, IEnumerable<ReconcileAction> actions, CancellationToken ct)
    {
        var (db, deployment, running, now) = (pass.Db, pass.Deployment, pass.Running, pass.Now);
        ResolvedDeployment? resolved = null;
        foreach (var action in actions)
        {
            switch (action)
            {
                case CreateReplica create:
                    var created = NewReplica(db, deployment, now, replicaKeys.NewProtected(), create.Region, create.IsBurst);
                    slots.Add(created);
                    pass.Replicas.Add(created);
                    break;
                case AttachRunning attach:
                    Attach(slots[attach.Slot], running[attach.RuntimeId]);
                    break;
                case ChangePhase change:
                    Transition(db, deployment, slots[change.Slot], change.Phase, now, change.Detail);
                    break;
                case RecordEvent record:
                    Record(db, deployment, record.Slot is { } slot ? slots[slot] : null, record.Kind, record.Message, now);
                    break;
                case StopProcess stop when slots[stop.Slot].RuntimeReplicaId is { } id && running.TryGetValue(id, out var handle):
                    await runtime.StopReplicaAsync(handle, ct);
                    break;
                case ForgetProcess forget:
                    slots[forget.Slot].Restarts++;
                    slots[forget.Slot].RuntimeReplicaId = null;
                    if (forget.ClearReadyAt)
                    {
                        slots[forget.Slot].ReadyAt = null;
                    }

                    break;
                case StartReplica start:
                    resolved ??= Resolve(deployment);
                    await StartAsync(db, deployment, slots[start.Slot], resolved, now, ct);
                    break;
                case Prewarm prewarm:
                    await db.SaveChangesAsync(ct);
                    if (await PrewarmAsync(slots[prewarm.Slot], deployment, ct))
                    {
                        slots[prewarm.Slot].ReadyAt = clock.GetUtcNow();
                        Transition(db, deployment, slots[prewarm.Slot], ReplicaPhase.Ready, clock.GetUtcNow(), "Ready: pre-warm request answered.");
                    }

                    break;
                case StopReplica stop:
                    await StopAsync(db, deployment, slots[stop.Slot], running, now, ct);
                    break;
                case LowerDesiredReplicas lower:
                    deployment.DesiredReplicas = lower.Replicas;
                    break;
                case RemoveFromRuntime:
                    await runtime.RemoveDeploymentAsync(deployment.Id, ct);
                    break;
            }
        }
    }

    /// <summary>What one pass works on; <see cref="Replicas"/> gains the rows the pass creates.</summary>
    private sealed record Pass(PortalDbContext Db, Deployment Deployment, IReadOnlyDictionary<string, ReplicaHandle> Running, DateTimeOffset Now,
        List<Replica> Replicas);

    private ResolvedDeployment Resolve(Deployment deployment) =>
        DeploymentValidator.Validate(DeploymentSpecJson.Deserialize(deployment.SpecJson), catalog, DeploymentValidationContext.Unrestricted)
            .Deployment ?? throw new InvalidOperationException($"The stored spec of deployment {deployment.Id} no longer validates.");

    private async Task StartAsync(PortalDbContext db, Deployment deployment, Replica replica, ResolvedDeployment resolved, DateTimeOffset now, CancellationToken ct)
    {
        // Saved first as Starting with no runtime id: if the portal dies during the launch, the next pass adopts the
        // process into this row instead of starting a second one. A row from before replicas had keys gets one now.
        replica.ProtectedApiKey ??= replicaKeys.NewProtected();
        Transition(db, deployment, replica, ReplicaPhase.Starting, now, "Starting.");
        await db.SaveChangesAsync(ct);
        try
        {
            var handle = await runtime.StartReplicaAsync(new ReplicaLaunch
            {
                TenantId = deployment.TenantId, DeploymentId = deployment.Id,
                Deployment = replica.Region == resolved.Region.Id ? resolved : resolved with { Region = catalog.GetRegion(replica.Region) },
                Credentials = await weightCredentials.ForLaunchAsync(deployment.TenantId, resolved, ct),
                ApiKey = replicaKeys.Reveal(replica),
            }, ct);
            Attach(replica, handle);
            Record(db, deployment, replica, "replica.started", handle.Note ?? $"Started on {runtime.Kind}: {handle.BaseUri}", now);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Starting a replica of {Deployment} failed.", deployment.Id);
            replica.Restarts++;
            Transition(db, deployment, replica, ReplicaPhase.Failed, now, e.Message);
            replica.Phase = ReplicaPhase.Pending;
        }
    }

    private async Task StopAsync(PortalDbContext db, Deployment deployment, Replica replica, IReadOnlyDictionary<string, ReplicaHandle> running,
        DateTimeOffset now, CancellationToken ct)
    {
        if (replica.RuntimeReplicaId is not null && running.TryGetValue(replica.RuntimeReplicaId, out var handle))
        {
            await runtime.StopReplicaAsync(handle, ct);
        }

        replica.StoppedAt = now;
        Transition(db, deployment, replica, ReplicaPhase.Stopped, now, "Stopped.");
    }

    private async Task<bool> PrewarmAsync(Replica replica, Deployment deployment, CancellationToken ct)
    {
        try
        {
            using var client = httpClients.CreateClient(nameof(DeploymentReconciler));
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(replica.BaseUrl!), "v1/chat/completions"))
            {
                Content = JsonContent.Create(new
                {
                    model = deployment.ServedModelName,
                    messages = new[] { new { role = "user", content = "warm-up" } },
                    max_tokens = 1,
                }),
            };
            if (replicaKeys.Reveal(replica) is { } apiKey)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }

            using var response = await client.SendAsync(request, ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            logger.LogInformation("Pre-warm of replica {Replica} not answered yet: {Message}", replica.Id, e.Message);
            return false;
        }
    }

    private static Replica NewReplica(
        PortalDbContext db, Deployment deployment, DateTimeOffset now, string protectedApiKey, string? region = null, bool isBurst = false)
    {
        var replica = new Replica
        {
            DeploymentId = deployment.Id, TenantId = deployment.TenantId, Region = region ?? deployment.Region, IsBurst = isBurst,
            ProtectedApiKey = protectedApiKey,
            Phase = ReplicaPhase.Pending,
            CreatedAt = now, PhaseChangedAt = now,
        };
        db.Replicas.Add(replica);
        return replica;
    }

    private static void Attach(Replica replica, ReplicaHandle handle)
    {
        replica.RuntimeReplicaId = handle.ReplicaId;
        replica.BaseUrl = handle.BaseUri?.ToString();
        replica.ProcessId = handle.ProcessId;
        replica.UsesSimulator = handle.UsesSimulator;
    }

    private void Transition(PortalDbContext db, Deployment deployment, Replica replica, ReplicaPhase phase, DateTimeOffset now, string? detail)
    {
        if (replica.Phase == phase)
        {
            return;
        }

        Record(db, deployment, replica, "replica." + phase.ToString().ToLowerInvariant(), $"{replica.Phase} → {phase}{(detail is null ? "" : ": " + detail)}", now);
        replica.Phase = phase;
        replica.PhaseChangedAt = now;
        replica.Detail = detail is { Length: > 1000 } ? detail[..1000] : detail;
    }

    private static void Record(PortalDbContext db, Deployment deployment, Replica? replica, string kind, string message, DateTimeOffset now) =>
        db.DeploymentEvents.Add(new DeploymentEvent
        {
            DeploymentId = deployment.Id, TenantId = deployment.TenantId, ReplicaId = replica?.Id, At = now, Kind = kind,
            Message = message.Length > 1000 ? message[..1000] : message,
        });
}
