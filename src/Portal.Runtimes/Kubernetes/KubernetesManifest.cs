using System.Globalization;
using k8s;
using k8s.Models;
using Portal.Core.Deployments;

namespace Portal.Runtimes.Kubernetes;

/// <summary>
/// The objects of one dedicated deployment on Kubernetes, and their YAML. The engine's API key comes from the
/// deployment's Secret (<see cref="SecretName"/>, built by <see cref="BuildSecret"/> and never part of the YAML), and a
/// NetworkPolicy admits only the gateway's pods to the engine port.
/// </summary>
public sealed record KubernetesManifest(
    V1Deployment Deployment, V1Service Service, V1PodDisruptionBudget DisruptionBudget, V1NetworkPolicy NetworkPolicy)
{
    public const string TenantLabel = "portal.dev/tenant";
    public const string DeploymentLabel = "portal.dev/deployment";
    public const string DeploymentNameLabel = "portal.dev/deployment-name";
    public const string RoleLabel = "portal.dev/role";
    public const string GpuProductLabel = "nvidia.com/gpu.product";
    public const string RegionLabel = "topology.kubernetes.io/region";
    public const string GpuResource = "nvidia.com/gpu";
    public const int ProbePeriodSeconds = 10;

    /// <summary>The key of the replica secret inside the deployment's Secret.</summary>
    public const string ApiKeySecretKey = "api-key";

    /// <summary>The container variable the Secret fills; the engine's <c>--api-key</c> refers to it as <c>$(…)</c>.</summary>
    public const string ApiKeyVariable = "PORTAL_REPLICA_API_KEY";

    /// <summary>The Secret holding the replica key of a deployment's pods.</summary>
    public static string SecretName(string objectName) => objectName + "-api-key";

    public string Name => Deployment.Metadata.Name;

    /// <summary>Kubernetes name of a deployment: its name plus 8 hex digits of its id (names are unique per tenant only).</summary>
    public static string ObjectName(string deploymentName, Guid deploymentId) => $"{deploymentName}-{deploymentId.ToString("N")[..8]}";

    /// <summary>Name of the tenant's Secret holding its weight credentials (one per tenant, in the replicas' namespace).</summary>
    public static string WeightSecretName(Guid tenantId) => $"portal-weights-{tenantId:N}";

    /// <summary>The tenant's weight credentials as a Secret; only the keys it has values for.</summary>
    public static V1Secret WeightSecret(Guid tenantId, WeightCredentials credentials, KubernetesRuntimeOptions options) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Type = "Opaque",
        Metadata = new V1ObjectMeta
        {
            Name = WeightSecretName(tenantId),
            NamespaceProperty = options.Namespace,
            Labels = new Dictionary<string, string>
            {
                ["app.kubernetes.io/managed-by"] = "portal",
                [TenantLabel] = tenantId.ToString(),
                [RoleLabel] = "weight-credentials",
            },
        },
        StringData = credentials.SecretData().ToDictionary(),
    };

    /// <summary>Private weights: every credential variable comes from the tenant's own Secret, never the platform's.</summary>
    private static IEnumerable<V1EnvVar> TenantWeightEnvironment(Guid tenantId, IReadOnlySet<WeightCredentialKind> kinds) =>
        WeightSources.Variables.Where(v => kinds.Contains(v.Kind)).Select(v => new V1EnvVar
        {
            Name = v.Name,
            ValueFrom = new V1EnvVarSource
            {
                SecretKeyRef = new V1SecretKeySelector { Name = WeightSecretName(tenantId), Key = v.SecretKey, Optional = v.Optional ? true : null },
            },
        });

    /// <summary>Startup-probe budget: engine start-up + twice the weight bytes ÷ the assumed load bandwidth.</summary>
    public static int StartupSeconds(long weightBytes, KubernetesRuntimeOptions options) =>
        options.EngineStartupSeconds + (int)Math.Ceiling(2 * weightBytes / options.WeightLoadBytesPerSecond);

    public static KubernetesManifest Build(ReplicaLaunch launch, int replicas, KubernetesRuntimeOptions options)
    {
        var deployment = launch.Deployment;
        var name = ObjectName(deployment.Name, launch.DeploymentId);
        var tenant = launch.TenantId.ToString();
        var selector = new Dictionary<string, string> { [DeploymentLabel] = launch.DeploymentId.ToString() };
        var labels = new Dictionary<string, string>
        {
            ["app.kubernetes.io/name"] = "portal-replica",
            ["app.kubernetes.io/instance"] = name,
            ["app.kubernetes.io/managed-by"] = "portal",
            [TenantLabel] = tenant,
            [DeploymentLabel] = launch.DeploymentId.ToString(),
            [DeploymentNameLabel] = deployment.Name,
            [RoleLabel] = "replica",
        };
        V1ObjectMeta Metadata() => new() { Name = name, NamespaceProperty = options.Namespace, Labels = new Dictionary<string, string>(labels) };

        // Kubernetes expands $(VAR) in args from the container's environment, so the key never appears in the spec.
        var checksKey = ReplicaSecret.EngineChecksKey(deployment.Engine);
        var command = EngineCommandLine.Render(deployment, EngineCommandLine.DefaultPort, apiKey: checksKey ? $"$({ApiKeyVariable})" : null);
        var environment = command.Environment.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => new V1EnvVar { Name = e.Key, Value = e.Value })
            .ToList();
        if (checksKey)
        {
            environment.Add(new V1EnvVar
            {
                Name = ApiKeyVariable,
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = SecretName(name), Key = ApiKeySecretKey } },
            });
        }

        if (deployment.PrivateSources.Count > 0)
        {
            environment.AddRange(TenantWeightEnvironment(launch.TenantId, deployment.PrivateCredentialKinds));
        }
        else if (options.HuggingFaceTokenSecret is { } secret)
        {
            environment.Add(new V1EnvVar
            {
                Name = "HF_TOKEN",
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = "token" } },
            });
        }

        var gpus = new ResourceQuantity(deployment.GpusPerReplica.ToString(CultureInfo.InvariantCulture));
        var health = new V1HTTPGetAction { Path = "/health", Port = "http" };
        var startupSeconds = StartupSeconds(deployment.Fit.WeightBytes, options);
        var container = new V1Container
        {
            Name = "engine",
            Image = Image(deployment.Engine, options),
            Command = [command.Executable],
            Args = command.Arguments.ToList(),
            Env = environment.Count == 0 ? null : environment,
            Ports = [new V1ContainerPort { Name = "http", ContainerPort = EngineCommandLine.DefaultPort, Protocol = "TCP" }],
            Resources = new V1ResourceRequirements
            {
                Limits = new Dictionary<string, ResourceQuantity> { [GpuResource] = gpus },
                Requests = new Dictionary<string, ResourceQuantity> { [GpuResource] = gpus },
            },
            StartupProbe = new V1Probe
            {
                HttpGet = health,
                PeriodSeconds = ProbePeriodSeconds,
                FailureThreshold = (int)Math.Ceiling(startupSeconds / (double)ProbePeriodSeconds),
            },
            ReadinessProbe = new V1Probe { HttpGet = health, PeriodSeconds = 5, FailureThreshold = 3 },
            LivenessProbe = new V1Probe { HttpGet = health, PeriodSeconds = ProbePeriodSeconds, FailureThreshold = 6 },
            VolumeMounts = [new V1VolumeMount { Name = "shm", MountPath = "/dev/shm" }],
        };

        var pod = new V1PodSpec
        {
            Containers = [container],
            NodeSelector = new Dictionary<string, string>
            {
                [GpuProductLabel] = deployment.Gpu.KubernetesProduct,
                [RegionLabel] = deployment.Region.Id,
            },
            // Tenant-exclusive GPUs: only this tenant's nodes attract the pods, and only its pods tolerate those nodes' taint.
            Affinity = new V1Affinity
            {
                NodeAffinity = new V1NodeAffinity
                {
                    RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                    {
                        NodeSelectorTerms =
                        [
                            new V1NodeSelectorTerm
                            {
                                MatchExpressions = [new V1NodeSelectorRequirement { Key = TenantLabel, OperatorProperty = "In", Values = [tenant] }],
                            },
                        ],
                    },
                },
            },
            Tolerations = [new V1Toleration { Key = TenantLabel, OperatorProperty = "Equal", Value = tenant, Effect = "NoSchedule" }],
            // Tensor-parallel workers exchange tensors through shared memory; the container default of 64 MiB is too small.
            Volumes = [new V1Volume { Name = "shm", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory" } }],
            TerminationGracePeriodSeconds = 60,
        };

        return new KubernetesManifest(
            new V1Deployment
            {
                ApiVersion = "apps/v1",
                Kind = "Deployment",
                Metadata = Metadata(),
                Spec = new V1DeploymentSpec
                {
                    Replicas = replicas,
                    Selector = new V1LabelSelector { MatchLabels = selector },
                    // Keep serving capacity during a rollout: add the new replica before removing an old one.
                    Strategy = new V1DeploymentStrategy
                    {
                        Type = "RollingUpdate",
                        RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = "1", MaxUnavailable = "0" },
                    },
                    Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = pod },
                },
            },
            new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = Metadata(),
                Spec = new V1ServiceSpec
                {
                    Type = "ClusterIP",
                    Selector = selector,
                    Ports = [new V1ServicePort { Name = "http", Port = EngineCommandLine.DefaultPort, Protocol = "TCP", TargetPort = "http" }],
                },
            },
            new V1PodDisruptionBudget
            {
                ApiVersion = "policy/v1",
                Kind = "PodDisruptionBudget",
                Metadata = Metadata(),
                Spec = new V1PodDisruptionBudgetSpec { MaxUnavailable = "1", Selector = new V1LabelSelector { MatchLabels = selector } },
            },
            new V1NetworkPolicy
            {
                ApiVersion = "networking.k8s.io/v1",
                Kind = "NetworkPolicy",
                Metadata = Metadata(),
                Spec = new V1NetworkPolicySpec
                {
                    PodSelector = new V1LabelSelector { MatchLabels = selector },
                    PolicyTypes = ["Ingress"],
                    // Only the gateway reaches the engine port; the kubelet's probes are not subject to NetworkPolicy.
                    Ingress =
                    [
                        new V1NetworkPolicyIngressRule
                        {
                            FromProperty =
                            [
                                new V1NetworkPolicyPeer
                                {
                                    PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(options.GatewayPodLabels) },
                                    NamespaceSelector = options.GatewayNamespaceLabels is { } namespaces
                                        ? new V1LabelSelector { MatchLabels = new Dictionary<string, string>(namespaces) }
                                        : null,
                                },
                            ],
                            Ports = [new V1NetworkPolicyPort { Port = "http", Protocol = "TCP" }],
                        },
                    ],
                },
            });
    }

    /// <summary>The deployment's Secret holding <paramref name="apiKey"/>; applied through the API, never rendered as YAML.</summary>
    public static V1Secret BuildSecret(ReplicaLaunch launch, string apiKey, KubernetesRuntimeOptions options)
    {
        var name = ObjectName(launch.Deployment.Name, launch.DeploymentId);
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Type = "Opaque",
            Metadata = new V1ObjectMeta
            {
                Name = SecretName(name),
                NamespaceProperty = options.Namespace,
                Labels = new Dictionary<string, string>
                {
                    ["app.kubernetes.io/managed-by"] = "portal",
                    [TenantLabel] = launch.TenantId.ToString(),
                    [DeploymentLabel] = launch.DeploymentId.ToString(),
                },
            },
            StringData = new Dictionary<string, string> { [ApiKeySecretKey] = apiKey },
        };
    }

    /// <summary>The four objects as one YAML stream, in a fixed order.</summary>
    public string ToYaml() =>
        string.Join("---\n", new object[] { Deployment, Service, DisruptionBudget, NetworkPolicy }
            .Select(o => KubernetesYaml.Serialize(o).ReplaceLineEndings("\n").TrimEnd('\n') + "\n"));

    private static string Image(InferenceEngine engine, KubernetesRuntimeOptions options) => engine switch
    {
        InferenceEngine.Vllm => options.VllmImage,
        InferenceEngine.Sglang => options.SglangImage,
        _ => options.TensorRtLlmImage,
    };
}
