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
    public void ObjectName_AddsTheDeploymentIdSoTenantsCanShareNames() =>
        Assert.Equal("support-chat-3f2504e0", Build().Name);
}
