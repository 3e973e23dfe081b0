using Portal.Core.Deployments;
using Portal.Core.Scaling;
using Portal.Data.Entities;

namespace Portal.Deployments;

public sealed record ReplicaView(
    Guid Id, string Phase, string Region, bool IsBurst, bool UsesSimulator, string? BaseUrl, int Restarts, string? Detail,
    DateTimeOffset CreatedAt, DateTimeOffset? ReadyAt, DateTimeOffset PhaseChangedAt);

public sealed record DeploymentEventView(DateTimeOffset At, string Kind, string Message);

public sealed record DeploymentView(
    Guid Id, string Name, string Status, string Model, string ServedModelName, string Engine, string GpuType, int GpusPerReplica,
    int BaselineReplicas, int MaxReplicas, int DesiredReplicas, string Region, decimal PricePerGpuHour, decimal MonthlyCostUsd,
    decimal CostSoFarUsd, DateTimeOffset CreatedAt, string CreatedBy, int ReadyReplicas, double BaselineGpuHours, double BurstGpuHours,
    decimal BurstCostSoFarUsd)
{
    public static DeploymentView From(Deployment d, DateTimeOffset now)
    {
        var ready = d.Replicas.Count(r => r.Phase == ReplicaPhase.Ready);
        var hours = GpuHours(d, now);
        return new DeploymentView(d.Id, d.Name, d.Status.ToString(), d.ModelDisplayName, d.ServedModelName, d.Engine, d.GpuType,
            d.GpusPerReplica, d.BaselineReplicas, d.MaxReplicas, d.DesiredReplicas, d.Region, d.PricePerGpuHour,
            Core.Cost.CostCalculator.DedicatedMonthlyUsd(d.BaselineReplicas, d.GpusPerReplica, d.PricePerGpuHour),
            hours.CostUsd(d.PricePerGpuHour), d.CreatedAt, d.CreatedBy, ready, Math.Round(hours.Baseline, 3), Math.Round(hours.Burst, 3),
            hours.BurstCostUsd(d.PricePerGpuHour));
    }

    /// <summary>GPU-hours of every replica that ran (created until stopped, or now), baseline and burst apart.</summary>
    public static GpuHourSplit GpuHours(Deployment d, DateTimeOffset now) =>
        GpuHourSplit.Of(d.Replicas.Select(r => new ReplicaSpan(r.CreatedAt, r.StoppedAt, r.IsBurst)), d.GpusPerReplica, now);
}

public sealed record DeploymentDetailView(DeploymentView Deployment, IReadOnlyList<ReplicaView> Replicas, IReadOnlyList<DeploymentEventView> Events,
    string CommandLine, string KubernetesManifest);

public sealed record ScaleRequest(int BaselineReplicas, int? MaxReplicas);
