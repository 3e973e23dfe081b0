namespace Portal.Core.DryRun;

/// <summary>The figures of a simulator profile that a candidate's hardware changes: prefill and decode speed, KV capacity.</summary>
public sealed record SimulatorFigures(double PrefillMsPerToken, double InterTokenLatencyMs, int KvCacheTokens);

/// <summary>
/// A shipped simulator profile's figures and the model and hardware they were set for (docs/simulator.md). A test holds
/// this table to the profiles' JSON, so the two cannot drift apart.
/// </summary>
/// <param name="Profile">The shipped profile's name.</param>
/// <param name="Model">Catalog model whose architecture the figures describe (Llama 3.3 70B shares Llama 3.1 70B's).</param>
/// <param name="GpuType">Catalog GPU the figures were set for.</param>
/// <param name="Gpus">GPUs per replica (tensor parallel) the figures were set for.</param>
public sealed record SimulatorReference(string Profile, string Model, string GpuType, int Gpus, SimulatorFigures Figures)
{
    public static IReadOnlyList<SimulatorReference> All { get; } =
    [
        new("dedicated-8b-h100", "llama-3.1-8b-instruct", "h100-80gb", 1, new(0.03, 12, 450_000)),
        new("serverless-8b", "llama-3.1-8b-instruct", "h100-80gb", 1, new(0.03, 14, 450_000)),
        new("dedicated-70b-h200", "llama-3.1-70b-instruct", "h200-141gb", 8, new(0.05, 23, 2_500_000)),
        new("serverless-70b", "llama-3.1-70b-instruct", "h200-141gb", 8, new(0.05, 26, 2_500_000)),
    ];

    /// <summary>The reference of a shipped profile; null for a name that is not one.</summary>
    public static SimulatorReference? Find(string profile) =>
        All.FirstOrDefault(r => string.Equals(r.Profile, profile, StringComparison.Ordinal));

    /// <summary>The profile a candidate replays on when it names none: the model's size class, dedicated or scale-to-zero.</summary>
    public static string DefaultProfile(long parameters, bool scaleToZero) => (parameters <= 20_000_000_000, scaleToZero) switch
    {
        (true, false) => "dedicated-8b-h100",
        (true, true) => "serverless-8b",
        (false, false) => "dedicated-70b-h200",
        (false, true) => "serverless-70b",
    };
}
