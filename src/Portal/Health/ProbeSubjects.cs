using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Deployments;
using Portal.Core.Gateway;
using Portal.Core.Probing;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Deployments;
using Portal.Inference;

namespace Portal.Health;

/// <summary>
/// Something probed directly: a replica of a dedicated target (with the replica's own key), or a serverless target
/// itself (with its provider key). <see cref="TtftProbe"/> says whether it gets the synthetic chat request
/// (<see cref="TtftProbePolicy"/>): a serverless target only when its tenant opted in.
/// </summary>
public sealed record ProbeSubject(
    Guid Id, Guid TenantId, Guid TargetId, IncidentScope Scope, string Name, Uri? LivenessBase, Uri? ModelsUri, Uri? ChatUri,
    string? Model, string? ApiKey, bool TtftProbe)
{
    /// <summary>Never prints the key.</summary>
    public override string ToString() => Name;

    /// <summary>A serverless target's URL came from a tenant; a replica is the platform's own.</summary>
    public bool TenantGiven => Scope == IncidentScope.Target;
}

/// <summary>A dedicated target, judged by its replicas: up when any of them is up.</summary>
public sealed record ProbedTarget(Guid Id, Guid TenantId, string Name, IReadOnlyList<Guid> ReplicaIds);

public sealed record ProbePlan(IReadOnlyList<ProbeSubject> Subjects, IReadOnlyList<ProbedTarget> DedicatedTargets);

/// <summary>What the probe tick looks at: every target an endpoint uses and every replica in service behind it.</summary>
public sealed class ProbeSubjects(IDataProtectionProvider protection, ReplicaKeys replicaKeys)
{
    public async Task<ProbePlan> LoadAsync(PortalDbContext db, CancellationToken ct)
    {
        var endpoints = await db.Endpoints.AsNoTracking().Select(e => new { e.PrimaryTargetId, e.SecondaryTargetId }).ToListAsync(ct);
        var targetIds = endpoints.Select(e => e.PrimaryTargetId).Concat(endpoints.Select(e => e.SecondaryTargetId).OfType<Guid>()).ToHashSet();
        var targets = await db.Targets.AsNoTracking().Include(t => t.Deployment).Where(t => targetIds.Contains(t.Id)).ToListAsync(ct);
        var tracked = (await db.ProbeSubjectStates.AsNoTracking().Select(s => s.SubjectId).ToListAsync(ct)).ToHashSet();

        // A deployment a person stopped or deleted is not down: it is not probed.
        var dedicated = targets.Where(t => t is { Kind: TargetKind.Dedicated, Deployment: { } d }
            && d.Status is not (DeploymentStatus.Stopped or DeploymentStatus.Deleted)).ToList();
        var deploymentIds = dedicated.Select(t => t.DeploymentId!.Value).ToHashSet();
        var replicas = await db.Replicas.AsNoTracking()
            .Where(r => deploymentIds.Contains(r.DeploymentId) && r.Phase != ReplicaPhase.Stopped).ToListAsync(ct);
        // In service: Ready or Draining, or probed before (a crashed replica being restarted stays probed, and fails).
        replicas = replicas.Where(r => r.Phase is ReplicaPhase.Ready or ReplicaPhase.Draining || tracked.Contains(r.Id)).ToList();

        var subjects = new List<ProbeSubject>();
        var probedTargets = new List<ProbedTarget>();
        foreach (var target in dedicated)
        {
            var own = replicas.Where(r => r.DeploymentId == target.DeploymentId).ToList();
            if (own.Count == 0)
            {
                continue; // Never in service yet: nothing promised to be up.
            }

            foreach (var replica in own)
            {
                var baseUri = replica.BaseUrl is null ? null : new Uri(replica.BaseUrl.EndsWith('/') ? replica.BaseUrl : replica.BaseUrl + "/");
                subjects.Add(new ProbeSubject(replica.Id, replica.TenantId, target.Id, IncidentScope.Replica,
                    $"replica {replica.Id.ToString()[..8]} of {target.Deployment!.Name}", baseUri,
                    baseUri is null ? null : new Uri(baseUri, "v1/models"), baseUri is null ? null : new Uri(baseUri, "v1/chat/completions"),
                    target.Deployment.ServedModelName, replicaKeys.Reveal(replica), TtftProbePolicy.ShouldProbe(serverless: false, optedIn: false)));
            }

            probedTargets.Add(new ProbedTarget(target.Id, target.TenantId, target.Deployment!.Name, own.Select(r => r.Id).ToList()));
        }

        // A serverless target's liveness is its models listing (loads no model, costs no token, keeps nothing warm).
        var unprotect = protection.CreateProtector(ServerlessKeyProtection.Purpose);
        foreach (var target in targets.Where(t => t.Kind == TargetKind.Serverless && t.BaseUrl is not null))
        {
            var baseUri = new Uri(target.BaseUrl!.EndsWith('/') ? target.BaseUrl : target.BaseUrl + "/");
            subjects.Add(new ProbeSubject(target.Id, target.TenantId, target.Id, IncidentScope.Target, $"serverless target {target.Name}", null,
                new Uri(baseUri, "models"), new Uri(baseUri, "chat/completions"), target.UpstreamModel,
                target.ProtectedApiKey is null ? null : unprotect.Unprotect(target.ProtectedApiKey),
                TtftProbePolicy.ShouldProbe(serverless: true, target.TtftProbeOptIn)));
        }

        return new ProbePlan(subjects, probedTargets);
    }
}
