using Portal.Data.Entities;

namespace Portal.Deployments;

public sealed record ReplicaView(
    Guid Id, string Phase, string Region, bool IsBurst, bool UsesSimulator, string? BaseUrl, int Restarts, string? Detail,
    DateTimeOffset CreatedAt, DateTimeOffset? ReadyAt, DateTimeOffset PhaseChangedAt);

public sealed record DeploymentEventView(DateTimeOffset At, string Kind, string Message);

public sealed record DeploymentView(
    Guid Id, string Name, string Status, string Model, string ServedModelName, string Engine, string GpuType, int GpusPerReplica,
    int BaselineReplicas, int MaxReplicas, int DesiredReplicas, string Region, decimal PricePerGpuHour, decimal MonthlyCostUsd,
    decimal CostSoFarUsd, DateTimeOffset CreatedAt, string CreatedBy, int ReadyReplicas)
{
    public static DeploymentView From(Deployment d, DateTimeOffset now)
    {
        var ready = d.Replicas.Count(r => r.Phase == ReplicaPhase.Ready);
        return new DeploymentView(d.Id, d.Name, d.Status.ToString(), d.ModelDisplayName, d.ServedModelName, d.Engine, d.GpuType,
            d.GpusPerReplica, d.BaselineReplicas, d.MaxReplicas, d.DesiredReplicas, d.Region, d.PricePerGpuHour,
            Core.Cost.CostCalculator.DedicatedMonthlyUsd(d.BaselineReplicas, d.GpusPerReplica, d.PricePerGpuHour),
            CostSoFar(d, now), d.CreatedAt, d.CreatedBy, ready);
    }

    /// <summary>GPU-hours of every replica that ran (created until stopped, or now) × the price per GPU-hour.</summary>
    public static decimal CostSoFar(Deployment d, DateTimeOffset now) =>
        Math.Round(d.Replicas.Sum(r => (decimal)((r.StoppedAt ?? now) - r.CreatedAt).TotalHours) * d.GpusPerReplica * d.PricePerGpuHour, 2);
}

public sealed record DeploymentDetailView(DeploymentView Deployment, IReadOnlyList<ReplicaView> Replicas, IReadOnlyList<DeploymentEventView> Events,
    string CommandLine, string KubernetesManifest);

public sealed record ScaleRequest(int BaselineReplicas, int? MaxReplicas);
