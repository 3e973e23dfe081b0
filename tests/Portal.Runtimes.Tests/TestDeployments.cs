using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Runtimes;

namespace Portal.Runtimes.Tests;

internal static class TestDeployments
{
    public static readonly Guid TenantId = new("7c9e6679-7425-40de-944b-e07fc1f90ae7");
    public static readonly Guid DeploymentId = new("3f2504e0-4f89-11d3-9a0c-0305e82c3301");

    /// <summary>The replica secret every test launch carries.</summary>
    public const string ApiKey = "rs_TestReplicaSecret0123456789abcdefghijklmnopq";

    public static ResolvedDeployment Resolve(DeploymentSpec spec)
    {
        var result = DeploymentValidator.Validate(spec, ModelCatalog.Default, DeploymentValidationContext.Unrestricted);
        Assert.True(result.IsValid, string.Join(" ", result.Errors.SelectMany(e => e.Value)));
        return result.Deployment!;
    }

    public static ResolvedDeployment Llama70BOnFourH100s(InferenceEngine engine = InferenceEngine.Vllm) => Resolve(new DeploymentSpec
    {
        Name = "support-chat",
        Model = ModelReference.FromCatalog("llama-3.1-70b-instruct"),
        Engine = engine,
        GpuType = "h100-80gb",
        GpusPerReplica = 4,
        BaselineReplicas = 2,
        MaxReplicas = 4,
        Region = "us-east",
    });

    public static ResolvedDeployment Llama8B(string name = "tiny-chat") => Resolve(new DeploymentSpec
    {
        Name = name,
        Model = ModelReference.FromCatalog("llama-3.1-8b-instruct"),
        GpuType = "h100-80gb",
        Region = "us-west",
    });

    public static ReplicaLaunch Launch(ResolvedDeployment deployment, Guid? deploymentId = null) => new()
    {
        TenantId = TenantId,
        DeploymentId = deploymentId ?? DeploymentId,
        Deployment = deployment,
        ApiKey = ApiKey,
    };
}
