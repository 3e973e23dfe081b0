using Portal.Runtimes.Kubernetes;

namespace Portal.Runtimes.Tests.Kubernetes;

public class KubernetesManifestTests
{
    private static readonly KubernetesRuntimeOptions _options = new() { HuggingFaceTokenSecret = "hf-token" };

    private static KubernetesManifest Build() =>
        KubernetesManifest.Build(TestDeployments.Launch(TestDeployments.Llama70BOnFourH100s()), replicas: 2, _options);

    [Fact]
    public void Yaml_MatchesTheGoldenFile() => GoldenFile.AssertMatches("manifest-llama-3.1-70b.yaml", Build().ToYaml());

    [Fact]
    public void Yaml_IsDeterministic() => Assert.Equal(Build().ToYaml(), Build().ToYaml());

    [Fact]
    public void Pods_LandOnlyOnTheTenantsNodesWithTheRightGpuInTheRegion()
    {
        var pod = Build().Deployment.Spec.Template.Spec;
        var tenant = TestDeployments.TenantId.ToString();

        Assert.Equal("NVIDIA-H100-80GB-HBM3", pod.NodeSelector["nvidia.com/gpu.product"]);
        Assert.Equal("us-east", pod.NodeSelector["topology.kubernetes.io/region"]);
        var requirement = Assert.Single(Assert.Single(pod.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms).MatchExpressions);
        Assert.Equal(("portal.dev/tenant", "In", tenant), (requirement.Key, requirement.OperatorProperty, Assert.Single(requirement.Values)));
        var toleration = Assert.Single(pod.Tolerations);
        Assert.Equal(("portal.dev/tenant", "Equal", tenant, "NoSchedule"), (toleration.Key, toleration.OperatorProperty, toleration.Value, toleration.Effect));
        Assert.Equal("4", pod.Containers[0].Resources.Limits["nvidia.com/gpu"].ToString());
    }

    [Fact]
    public void StartupProbe_AllowsTwiceTheWeightLoadTimePlusEngineStartup()
    {
        // 141.1 GB of bf16 weights at 500 MB/s = 282.2 s; × 2 + 180 s = 745 s → 75 probes 10 s apart
        var probe = Build().Deployment.Spec.Template.Spec.Containers[0].StartupProbe;

        Assert.Equal(745, KubernetesManifest.StartupSeconds(141_107_412_992, _options));
        Assert.Equal((10, 75, "/health"), (probe.PeriodSeconds, probe.FailureThreshold, probe.HttpGet.Path));
    }

    [Fact]
    public void Engine_ReadsItsKeyFromTheDeploymentsSecret_AndTheSpecHoldsNoKey()
    {
        var manifest = Build();
        var container = manifest.Deployment.Spec.Template.Spec.Containers[0];

        var variable = Assert.Single(container.Env, e => e.Name == "PORTAL_REPLICA_API_KEY");
        Assert.Equal(("support-chat-3f2504e0-api-key", "api-key"), (variable.ValueFrom.SecretKeyRef.Name, variable.ValueFrom.SecretKeyRef.Key));
        Assert.Equal(["--api-key", "$(PORTAL_REPLICA_API_KEY)"], container.Args.TakeLast(2));
        Assert.DoesNotContain(TestDeployments.ApiKey, manifest.ToYaml(), StringComparison.Ordinal);
    }

    [Fact]
    public void TrtllmServe_GetsNoKeyFlagButTheSameNetworkPolicy()
    {
        var manifest = KubernetesManifest.Build(
            TestDeployments.Launch(TestDeployments.Llama70BOnFourH100s(Portal.Core.Deployments.InferenceEngine.TensorRtLlm)), replicas: 1, _options);
        var container = manifest.Deployment.Spec.Template.Spec.Containers[0];

        Assert.DoesNotContain("--api-key", container.Args);
        Assert.DoesNotContain(container.Env ?? [], e => e.Name == "PORTAL_REPLICA_API_KEY");
        Assert.Equal("Ingress", Assert.Single(manifest.NetworkPolicy.Spec.PolicyTypes));
    }

    [Fact]
    public void NetworkPolicy_AdmitsOnlyTheConfiguredGatewayPodsToTheEnginePort()
    {
        var options = new KubernetesRuntimeOptions
        {
            GatewayPodLabels = new() { ["app"] = "edge-gateway" },
            GatewayNamespaceLabels = new() { ["kubernetes.io/metadata.name"] = "portal" },
        };
        var policy = KubernetesManifest.Build(TestDeployments.Launch(TestDeployments.Llama70BOnFourH100s()), replicas: 1, options).NetworkPolicy;

        Assert.Equal(TestDeployments.DeploymentId.ToString(), policy.Spec.PodSelector.MatchLabels["portal.dev/deployment"]);
        var rule = Assert.Single(policy.Spec.Ingress);
        var peer = Assert.Single(rule.FromProperty);
        Assert.Equal("edge-gateway", Assert.Single(peer.PodSelector.MatchLabels).Value);
        Assert.Equal("portal", Assert.Single(peer.NamespaceSelector.MatchLabels).Value);
        var port = Assert.Single(rule.Ports);
        Assert.Equal(("http", "TCP"), (port.Port.Value, port.Protocol));
    }

    [Fact]
    public void ObjectName_AddsTheDeploymentIdSoTenantsCanShareNames() =>
        Assert.Equal("support-chat-3f2504e0", Build().Name);
}
