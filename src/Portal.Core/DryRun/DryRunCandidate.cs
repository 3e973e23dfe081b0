using System.Globalization;
using Portal.Core.Deployments;
using Portal.Core.Sizing;

namespace Portal.Core.DryRun;

/// <summary>
/// One configuration a dry run tries: the deployment it would be (model, GPU, GPUs per replica, baseline and maximum
/// replicas, region, runtime settings) and the simulator profile that stands in for it. A scale-to-zero candidate
/// replays on the serverless profile of the model's size, to show what a shared pool's cold starts would do.
/// </summary>
public sealed record DryRunCandidate
{
    /// <summary>The shipped simulator profiles (src/Portal.Simulator/Profiles); docs/simulator.md says what each models.</summary>
    public static IReadOnlyList<string> Profiles { get; } = ["dedicated-8b-h100", "dedicated-70b-h200", "serverless-8b", "serverless-70b"];

    public const int MaxCandidates = 5;

    /// <summary>Shown in the comparison; null = made from the configuration, e.g. "1× h100-80gb, 1–3 replicas".</summary>
    public string? Name { get; init; }

    /// <summary>Catalog model id.</summary>
    public required string Model { get; init; }

    public required string GpuType { get; init; }

    public int GpusPerReplica { get; init; } = 1;

    public int BaselineReplicas { get; init; } = 1;

    public int MaxReplicas { get; init; } = 1;

    public required string Region { get; init; }

    /// <summary>
    /// The engine's runtime settings, as a deployment takes them (quantization, KV-cache dtype, context length, running
    /// batch, memory utilisation); null = the catalog's defaults for the model. They decide fit and the derived speed.
    /// </summary>
    public RuntimeSettings? Runtime { get; init; }

    /// <summary>The engine's running batch (<c>max_num_seqs</c>); overrides <see cref="Runtime"/>'s; null = that batch.</summary>
    public int? MaxConcurrentSequences { get; init; }

    /// <summary>
    /// A shipped profile name, replayed as shipped; null = the dedicated (or, with <see cref="ScaleToZero"/>, serverless)
    /// profile for the model's size at the speed this candidate's GPUs give (<see cref="CandidatePerformance"/>).
    /// </summary>
    public string? Profile { get; init; }

    /// <summary>Replay on a scale-to-zero serverless profile (cold starts after idle periods) instead of a dedicated one.</summary>
    public bool ScaleToZero { get; init; }

    public string DisplayName => Name ?? string.Create(CultureInfo.InvariantCulture,
        $"{GpusPerReplica}× {GpuType}, {(BaselineReplicas == MaxReplicas ? $"{BaselineReplicas}" : $"{BaselineReplicas}–{MaxReplicas}")} replica{(MaxReplicas == 1 ? "" : "s")}"
        + $"{(Runtime is { Quantization: not Quantization.None } r ? $", {r.Quantization.ToString().ToUpperInvariant()}" : "")}{(ScaleToZero ? ", scale to zero" : "")}");

    /// <summary>
    /// The deployment this candidate stands for (never created: a dry run only launches its simulators), on its own
    /// <see cref="Runtime"/> or else <paramref name="defaults"/> (the catalog's for the model).
    /// </summary>
    public DeploymentSpec ToSpec(string name, RuntimeSettings? defaults)
    {
        var runtime = Runtime ?? defaults;
        return new()
        {
            Name = name,
            Model = ModelReference.FromCatalog(Model),
            Runtime = runtime is not null && MaxConcurrentSequences is { } seqs ? runtime with { MaxConcurrentSequences = seqs } : runtime,
            GpuType = GpuType,
            GpusPerReplica = GpusPerReplica,
            BaselineReplicas = BaselineReplicas,
            MaxReplicas = MaxReplicas,
            Region = Region,
        };
    }

    /// <summary>Problems of a candidate list that the deployment validator does not see, by field (camelCase).</summary>
    public static IReadOnlyDictionary<string, string[]> Problems(IReadOnlyList<DryRunCandidate>? candidates)
    {
        var errors = new Dictionary<string, string[]>();
        if (candidates is not { Count: > 0 and <= MaxCandidates })
        {
            errors["candidates"] = [$"Give from 1 to {MaxCandidates} candidates."];
            return errors;
        }

        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            if (c.Profile is not null && !Profiles.Contains(c.Profile))
            {
                errors[$"candidates[{i}].profile"] = [$"The profile is one of {string.Join(", ", Profiles)}."];
            }

            if (c.MaxConcurrentSequences is < 1 or > 4096)
            {
                errors[$"candidates[{i}].maxConcurrentSequences"] = ["The running batch is from 1 to 4,096 sequences."];
            }

            if (c.Name is { } name && (string.IsNullOrWhiteSpace(name) || name.Length > 80))
            {
                errors[$"candidates[{i}].name"] = ["A name is 1 to 80 characters."];
            }
        }

        var duplicate = candidates.GroupBy(c => c.DisplayName, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            errors["candidates"] = [$"Two candidates are both called '{duplicate.Key}'; name them apart."];
        }

        return errors;
    }
}
