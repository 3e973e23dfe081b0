using Portal.Core.Cost;

namespace Portal.Core.Signals;

/// <summary>Everything the four migration signals of one model need, measured over one window.</summary>
public sealed record MigrationInput
{
    /// <summary>Length of the observed window (used to project token costs to 30 days).</summary>
    public required TimeSpan Window { get; init; }

    /// <summary>Production traffic in the window.</summary>
    public required TrafficStats Traffic { get; init; }

    /// <summary>Prices of the serverless target the model runs on today.</summary>
    public required ServerlessPrices Prices { get; init; }

    /// <summary>
    /// Dedicated monthly cost of the smallest configuration that fits the model (from sizing and cost);
    /// null when none fits or it is unknown, which makes the economics signal "not enough data".
    /// </summary>
    public decimal? DedicatedMonthlyCost { get; init; }

    public HardRequirements Requirements { get; init; } = HardRequirements.None;

    /// <summary>
    /// Generated tokens/s one replica of the deployment (or of the smallest configuration that fits) carries, measured
    /// or from the catalog; null when neither is known, which leaves economics to the monthly cost comparison.
    /// </summary>
    public ReplicaCapacity? Capacity { get; init; }

    /// <summary>True when the primary target is a dedicated deployment: the advice is then to keep, scale down or move back.</summary>
    public bool ServedDedicated { get; init; }

    /// <summary>
    /// Dedicated only: the replica time (baseline and burst replicas' real lifetimes) inside the window; the traffic's
    /// utilisation is measured against it. Serverless: null, one replica over <see cref="Window"/>.
    /// </summary>
    public TimeSpan? ReplicaTime { get; init; }

    /// <summary>Dedicated only: the deployment's baseline replicas, what scaling down starts from.</summary>
    public int Replicas { get; init; } = 1;

    /// <summary>Whether the endpoint meets its TTFT objective; null while it has none (the objective is judged elsewhere).</summary>
    public bool? MeetsObjective { get; init; }
}
