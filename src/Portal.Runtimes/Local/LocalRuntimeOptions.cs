namespace Portal.Runtimes.Local;

/// <summary>Settings of <see cref="LocalProcessRuntime"/>, bound from <c>Runtimes:Local</c>.</summary>
public sealed class LocalRuntimeOptions
{
    public const string SectionName = "Runtimes:Local";

    /// <summary>One small JSON file per replica lives here, so a restarted portal adopts its replicas; logs sit beside them.</summary>
    public string StateDirectory { get; set; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "portal", "replicas");

    /// <summary>Portal.Simulator.dll; null = next to the portal's own binaries.</summary>
    public string? SimulatorPath { get; set; }

    /// <summary>The <c>dotnet</c> host that runs the simulator; null = the one running the portal, else "dotnet" on PATH.</summary>
    public string? DotnetHost { get; set; }

    /// <summary>Real seconds per simulated second (the simulator's <c>--time-scale</c>).</summary>
    public double SimulatorTimeScale { get; set; } = 1;

    /// <summary>Overrides the profile's weight-load time (simulated seconds); null = the profile's.</summary>
    public double? SimulatorWeightLoadSeconds { get; set; }

    /// <summary>Run the real engine when its executable is installed; otherwise, or when false, the simulator.</summary>
    public bool UseInstalledEngines { get; set; } = true;

    public string VllmExecutable { get; set; } = "vllm";

    public string TensorRtLlmExecutable { get; set; } = "trtllm-serve";

    /// <summary>The Python that has SGLang installed (SGLang runs as <c>python -m sglang.launch_server</c>); null = not installed.</summary>
    public string? SglangPython { get; set; }

    /// <summary>
    /// The GPU device indexes of this host that replicas may use. Each replica reserves a whole set of its own (GPUs per
    /// replica) that no other replica holds, and its engine sees only those (<c>CUDA_VISIBLE_DEVICES</c>); a replica
    /// that finds no free set does not start. Empty: GPUs are not assigned (the simulator needs none).
    /// </summary>
    public List<int> GpuDevices { get; set; } = [];

    /// <summary>
    /// The platform's Hugging Face token for gated catalog models; null = none. Only replicas of public catalog weights
    /// get it (as <c>HF_TOKEN</c>): a replica with private sources gets its tenant's credentials and none of the host's.
    /// </summary>
    public string? HuggingFaceToken { get; set; }

    /// <summary>Replicas listen on this loopback address.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>How long a status probe waits for <c>/health</c> and <c>/v1/models</c>.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
