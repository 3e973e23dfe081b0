using System.Globalization;
using Portal.Core.Deployments;
using Portal.Core.DryRun;

namespace Portal.Runtimes.Local;

/// <summary>
/// What one local replica runs: the command (executable, arguments, the variables it may show) and, apart from it, the
/// weight credentials it reads and the host variables it must not inherit. Made from the launch, the settings and what
/// the machine has installed, without touching the machine, so every rule of it is unit-tested.
/// </summary>
/// <param name="Command">What is run and shown; its <c>--api-key</c> value is redacted wherever it is shown or stored.</param>
/// <param name="UsesSimulator">True when the simulator stands in for the engine.</param>
/// <param name="Note">Why the simulator stands in; null when the engine runs.</param>
/// <param name="Secrets">Weight credentials, kept out of the command line and the state file.</param>
/// <param name="Unset">Host variables the process does not inherit: the platform's identity, for private weights.</param>
/// <param name="Gpus">The host GPUs the replica holds (<see cref="OnGpus"/>); null when GPUs are not assigned.</param>
internal sealed record LocalLaunchPlan(
    EngineCommand Command,
    bool UsesSimulator,
    string? Note,
    IReadOnlyDictionary<string, string> Secrets,
    IReadOnlyList<string> Unset,
    IReadOnlyList<int>? Gpus = null)
{
    public static LocalLaunchPlan For(ReplicaLaunch launch, int port, LocalRuntimeOptions options, LocalTools tools)
    {
        var (command, usesSimulator, note) = launch.SimulatorProfile is null && options.UseInstalledEngines && tools.InstalledEngine is { } installed
            ? (EngineCommandLine.Render(launch.Deployment, port, options.Host, launch.ApiKey) with { Executable = installed }, false, null)
            : (Simulator(launch, port, options, tools), true, launch.SimulatorProfile is { } profile
                ? $"A simulation with the {profile} profile." : WhySimulator(launch.Deployment.Engine, options));
        var (secrets, unset) = WeightEnvironment(launch, options);
        return new LocalLaunchPlan(command, usesSimulator, note, secrets, unset);
    }

    /// <summary>The executable the settings name for the engine; null when none is configured (SGLang without a Python).</summary>
    public static string? ConfiguredExecutable(InferenceEngine engine, LocalRuntimeOptions options) => engine switch
    {
        InferenceEngine.Vllm => options.VllmExecutable,
        InferenceEngine.TensorRtLlm => options.TensorRtLlmExecutable,
        _ => options.SglangPython,
    };

    /// <summary>The simulator profile standing in for a model: up to 20B parameters the 8B profile, above it the 70B one.</summary>
    public static string SimulatorProfileFor(ResolvedDeployment deployment, bool dedicated) =>
        SimulatorReference.DefaultProfile(deployment.Architecture.Parameters, scaleToZero: !dedicated);

    /// <summary>The same plan on the host GPUs the replica holds: its engine sees only those. Null devices = GPUs are not assigned.</summary>
    public LocalLaunchPlan OnGpus(IReadOnlyList<int>? devices)
    {
        if (devices is null)
        {
            return this;
        }

        var environment = new Dictionary<string, string>(Command.Environment, StringComparer.Ordinal)
        {
            ["CUDA_VISIBLE_DEVICES"] = string.Join(',', devices.Select(d => d.ToString(CultureInfo.InvariantCulture))),
        };
        return this with { Command = Command with { Environment = environment }, Gpus = devices };
    }

    private static EngineCommand Simulator(ReplicaLaunch launch, int port, LocalRuntimeOptions options, LocalTools tools)
    {
        if (!tools.SimulatorFound)
        {
            throw new FileNotFoundException(
                $"The simulator is not at {tools.SimulatorPath}. Set Runtimes:Local:SimulatorPath to Portal.Simulator.dll.", tools.SimulatorPath);
        }

        var deployment = launch.Deployment;
        var arguments = new List<string>
        {
            tools.SimulatorPath,
            "--profile", launch.SimulatorProfile ?? SimulatorProfileFor(deployment, launch.Dedicated),
            "--served-model-name", deployment.ServedModelName,
            "--host", options.Host,
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--time-scale", (launch.SimulatorTimeScale ?? options.SimulatorTimeScale).ToString("R", CultureInfo.InvariantCulture),
            "--max-model-len", deployment.Runtime.MaxContextLength.ToString(CultureInfo.InvariantCulture),
            "--max-num-seqs", deployment.Runtime.MaxConcurrentSequences.ToString(CultureInfo.InvariantCulture),
        };
        if (options.SimulatorWeightLoadSeconds is { } weightLoad && launch.SimulatorProfile is null)
        {
            arguments.AddRange(["--weight-load-seconds", weightLoad.ToString("R", CultureInfo.InvariantCulture)]);
        }

        // Flags override the profile, whatever their order.
        if (launch.SimulatorOverrides is { } figures)
        {
            arguments.AddRange([
                "--prefill-ms-per-token", figures.PrefillMsPerToken.ToString("R", CultureInfo.InvariantCulture),
                "--inter-token-latency-ms", figures.InterTokenLatencyMs.ToString("R", CultureInfo.InvariantCulture),
                "--kv-cache-tokens", figures.KvCacheTokens.ToString(CultureInfo.InvariantCulture),
            ]);
        }

        // The simulator checks the key like vLLM, whichever engine it stands in for.
        if (launch.ApiKey is { } apiKey)
        {
            arguments.AddRange([ReplicaSecret.Flag, apiKey]);
        }

        return new EngineCommand(tools.DotnetHost, arguments, new Dictionary<string, string>());
    }

    private static string WhySimulator(InferenceEngine engine, LocalRuntimeOptions options)
    {
        var name = EngineNames.Display(engine);
        var executable = ConfiguredExecutable(engine, options);
        return !options.UseInstalledEngines
            ? $"The simulator stands in for {name}: installed engines are turned off (Runtimes:Local:UseInstalledEngines)."
            : executable is null
                ? $"The simulator stands in for {name}: no Python with SGLang is configured (Runtimes:Local:SglangPython)."
                : $"The simulator stands in for {name}: '{executable}' was not found on PATH.";
    }

    /// <summary>
    /// Private weights: the tenant's credentials and none of the host's identity. Public weights: the platform's token
    /// when one is configured.
    /// </summary>
    private static (IReadOnlyDictionary<string, string> Secrets, IReadOnlyList<string> Unset) WeightEnvironment(
        ReplicaLaunch launch, LocalRuntimeOptions options) =>
        launch.Deployment.PrivateSources.Count > 0
            ? (WeightSources.Environment(launch.Deployment.PrivateCredentialKinds, launch.Credentials), WeightSources.PlatformIdentityVariables)
            : (options.HuggingFaceToken is { Length: > 0 } token
                ? new Dictionary<string, string> { ["HF_TOKEN"] = token }
                : new Dictionary<string, string>(), []);
}
