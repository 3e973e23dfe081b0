namespace Portal.Core.Signals;

/// <summary>Needs that serverless cannot meet at all, as declared by the customer.</summary>
/// <param name="CustomWeights">Custom or fine-tuned weights.</param>
/// <param name="CustomQuantization">A quantization the serverless provider does not offer.</param>
/// <param name="RegionLock">Data must stay inside an allowed set of regions.</param>
/// <param name="ConcurrencyTuning">Per-model runtime tuning (batch size, max sequences, parallelism).</param>
public sealed record HardRequirements(
    bool CustomWeights = false,
    bool CustomQuantization = false,
    bool RegionLock = false,
    bool ConcurrencyTuning = false)
{
    public static HardRequirements None { get; } = new();

    /// <summary>The declared needs as phrases, in a fixed order (e.g. "custom weights", "a region lock").</summary>
    public IReadOnlyList<string> Names()
    {
        var names = new List<string>();
        if (CustomWeights)
        {
            names.Add("custom weights");
        }

        if (CustomQuantization)
        {
            names.Add("custom quantization");
        }

        if (RegionLock)
        {
            names.Add("a region lock");
        }

        if (ConcurrencyTuning)
        {
            names.Add("concurrency tuning");
        }

        return names;
    }
}
