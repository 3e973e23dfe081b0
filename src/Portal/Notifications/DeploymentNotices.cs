using Microsoft.EntityFrameworkCore;
using Portal.Core.Deployments;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Notifications;

/// <summary>
/// What a reconciler pass has to tell the tenant, read from the deployment events it is about to save: a replica
/// that failed (at most one notice per deployment and hour, so a crash loop is told once an hour, not at every
/// restart) and a deployment that became Ready.
/// </summary>
public static class DeploymentNotices
{
    public static IReadOnlyList<TenantNotice> Pending(PortalDbContext db, Deployment deployment, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(deployment);
        var added = db.ChangeTracker.Entries<DeploymentEvent>()
            .Where(e => e.State == EntityState.Added && e.Entity.DeploymentId == deployment.Id).Select(e => e.Entity).ToList();
        var notices = new List<TenantNotice>();
        if (added.FirstOrDefault(e => e.Kind == "replica.failed") is { } failed)
        {
            notices.Add(new TenantNotice(deployment.TenantId, TenantNoticeKind.DeploymentFailed,
                $"deployment.failed:{deployment.Id:n}:{now.UtcDateTime:yyyyMMddHH}", $"Deployment {deployment.Name}: a replica failed",
                $"{failed.Message} The reconciler replaces failed replicas; the deployment's page shows each attempt.", now)
            {
                Link = $"/endpoints/{deployment.Id}",
                Data = new { deploymentId = deployment.Id, name = deployment.Name, status = deployment.Status.ToString(), detail = failed.Message },
            });
        }

        if (deployment.Status == DeploymentStatus.Ready && added.Any(e => e.Kind == "deployment.status"))
        {
            notices.Add(new TenantNotice(deployment.TenantId, TenantNoticeKind.DeploymentReady, $"deployment.ready:{deployment.Id:n}:{now.UtcTicks}",
                $"Deployment {deployment.Name} is Ready", $"{deployment.ModelDisplayName} serves with {deployment.BaselineReplicas} baseline replica(s) Ready.", now)
            {
                Link = $"/endpoints/{deployment.Id}",
                Data = new { deploymentId = deployment.Id, name = deployment.Name, status = deployment.Status.ToString() },
            });
        }

        return notices;
    }
}
