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
}
