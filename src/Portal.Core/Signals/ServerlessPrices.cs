namespace Portal.Core.Signals;

/// <summary>A serverless target's per-token prices in dollars per million tokens (from configuration).</summary>
public sealed record ServerlessPrices(decimal InputPerMillion, decimal OutputPerMillion)
{
    public decimal InputPerMillion { get; } = InputPerMillion >= 0
        ? InputPerMillion
        : throw new ArgumentOutOfRangeException(nameof(InputPerMillion), InputPerMillion, "A price cannot be negative.");

    public decimal OutputPerMillion { get; } = OutputPerMillion >= 0
        ? OutputPerMillion
        : throw new ArgumentOutOfRangeException(nameof(OutputPerMillion), OutputPerMillion, "A price cannot be negative.");
}
