namespace Portal.Core.Scaling;

/// <summary>One replica's life for cost: from creation until it stopped (or now), baseline or burst.</summary>
public readonly record struct ReplicaSpan(DateTimeOffset Start, DateTimeOffset? Stop, bool IsBurst);

/// <summary>GPU-hours, split into the reserved baseline and burst capacity.</summary>
public readonly record struct GpuHourSplit(double Baseline, double Burst)
{
    public double Total => Baseline + Burst;

    public decimal CostUsd(decimal pricePerGpuHour) => Math.Round((decimal)Total * pricePerGpuHour, 2);

    public decimal BurstCostUsd(decimal pricePerGpuHour) => Math.Round((decimal)Burst * pricePerGpuHour, 2);

    /// <summary>GPU-hours = hours each replica ran × GPUs per replica, summed separately for baseline and burst replicas.</summary>
    public static GpuHourSplit Of(IEnumerable<ReplicaSpan> replicas, int gpusPerReplica, DateTimeOffset now)
    {
        double baseline = 0, burst = 0;
        foreach (var r in replicas)
        {
            var hours = Math.Max(0, ((r.Stop ?? now) - r.Start).TotalHours) * gpusPerReplica;
            if (r.IsBurst)
            {
                burst += hours;
            }
            else
            {
                baseline += hours;
            }
        }

        return new GpuHourSplit(baseline, burst);
    }
}
