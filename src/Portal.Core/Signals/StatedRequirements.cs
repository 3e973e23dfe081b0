using Portal.Core.Catalog;
using Portal.Core.Sizing;

namespace Portal.Core.Signals;

/// <summary>
/// What the customer states on an endpoint that only dedicated can give: their own (custom or fine-tuned) weights, a
/// quantization, residency in a jurisdiction, and a floor of concurrent requests. Stored on the endpoint, edited like
/// its other settings.
/// </summary>
/// <param name="Quantization">The quantization the model must run in, e.g. <c>fp8</c>; null when any will do.</param>
/// <param name="Residency">The jurisdiction (US, EU, JP, SG, TW) requests must be processed in; null when none.</param>
/// <param name="ConcurrencyFloor">Concurrent requests the endpoint must accept without refusing; null when none.</param>
public sealed record StatedRequirements(
    bool CustomWeights = false,
    string? Quantization = null,
    string? Residency = null,
    int? ConcurrencyFloor = null)
{
    public const int MaxConcurrencyFloor = 100_000;

    public static StatedRequirements None { get; } = new();

    /// <summary>Field errors, keyed by property name; empty when the statement can be stored (blank names count as none).</summary>
    public IReadOnlyDictionary<string, string[]> Check()
    {
        var errors = new Dictionary<string, string[]>();
        if (!string.IsNullOrWhiteSpace(Quantization) && !QuantizationNames.Contains(Quantization.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            errors[nameof(Quantization)] = [$"Name a quantization: {string.Join(", ", QuantizationNames)}; leave it empty when any will do."];
        }

        if (!string.IsNullOrWhiteSpace(Residency) && !Enum.GetNames<Jurisdiction>().Contains(Residency.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            errors[nameof(Residency)] = [$"Name a jurisdiction: {string.Join(", ", Enum.GetNames<Jurisdiction>())}; leave it empty when there is none."];
        }

        if (ConcurrencyFloor is < 1 or > MaxConcurrencyFloor)
        {
            errors[nameof(ConcurrencyFloor)] = [$"The concurrency floor is between 1 and {MaxConcurrencyFloor:N0} concurrent requests; leave it empty when there is none."];
        }

        return errors;
    }

    /// <summary>The statement as stored: names in lower case (quantization) or upper case (jurisdiction), blanks as null.</summary>
    public StatedRequirements Normalised() => new(
        CustomWeights,
        string.IsNullOrWhiteSpace(Quantization) ? null : Quantization.Trim().ToLowerInvariant(),
        string.IsNullOrWhiteSpace(Residency) ? null : Residency.Trim().ToUpperInvariant(),
        ConcurrencyFloor);

    public static IReadOnlyList<string> QuantizationNames { get; } =
        [.. Enum.GetValues<Quantization>().Where(q => q != Sizing.Quantization.None).Select(q => q.ToString().ToLowerInvariant())];
}
