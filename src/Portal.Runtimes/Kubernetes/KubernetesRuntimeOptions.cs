namespace Portal.Runtimes.Kubernetes;

/// <summary>Settings of <see cref="KubernetesRuntime"/>, bound from <c>Runtimes:Kubernetes</c>.</summary>
public sealed class KubernetesRuntimeOptions
{
    public const string SectionName = "Runtimes:Kubernetes";

    /// <summary>API server URL; when set it wins over the kubeconfig. Null and no kubeconfig = in-cluster configuration.</summary>
    public string? Server { get; set; }

    /// <summary>Bearer token for <see cref="Server"/>.</summary>
    public string? AccessToken { get; set; }

    public bool SkipTlsVerify { get; set; }

    /// <summary>Path of a kubeconfig file; null = the default one (~/.kube/config) when not running in a cluster.</summary>
    public string? KubeconfigPath { get; set; }

    public string? KubeconfigContext { get; set; }

    /// <summary>Namespace of every replica; tenants are kept apart by labels, node affinity and taints.</summary>
    public string Namespace { get; set; } = "portal-replicas";

    public string VllmImage { get; set; } = "vllm/vllm-openai:v0.11.0";

    public string SglangImage { get; set; } = "lmsysorg/sglang:v0.5.3";

    public string TensorRtLlmImage { get; set; } = "nvcr.io/nvidia/tensorrt-llm/release:1.0.0";

    /// <summary>
    /// Labels of the gateway's pods: each deployment's NetworkPolicy admits only pods carrying all of them to the engine port.
    /// </summary>
    public Dictionary<string, string> GatewayPodLabels { get; set; } = new() { ["app.kubernetes.io/name"] = "portal-gateway" };

    /// <summary>Labels of the gateway's namespace; null = the gateway runs in <see cref="Namespace"/> itself.</summary>
    public Dictionary<string, string>? GatewayNamespaceLabels { get; set; }

    /// <summary>
    /// The platform's Secret (key <c>token</c>) holding a Hugging Face token for gated catalog models; null = none. Only
    /// public catalog weights use it: a deployment with private sources references its tenant's own Secret instead.
    /// </summary>
    public string? HuggingFaceTokenSecret { get; set; }

    /// <summary>
    /// Assumed rate at which a replica pulls and loads weights (bytes per second). 500 MB/s is a cold node pulling
    /// from Hugging Face or object storage; the startup probe allows twice the resulting time plus engine start-up.
    /// </summary>
    public double WeightLoadBytesPerSecond { get; set; } = 500_000_000;

    /// <summary>Engine start-up besides the weights: CUDA context, graph capture, compilation.</summary>
    public int EngineStartupSeconds { get; set; } = 180;
}
