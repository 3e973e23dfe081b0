using Portal.Core.Deployments;

namespace Portal.Runtimes.Tests;

/// <summary>Deployments whose weights load with their tenant's own credentials, and two tenants' credentials.</summary>
internal static class PrivateWeights
{
    public static readonly Guid OtherTenantId = new("0b1e4c5d-2f3a-4b6c-8d9e-a0b1c2d3e4f5");

    public static readonly WeightCredentials TenantCredentials = new()
    {
        HuggingFaceToken = "hf_tenant_a_8c1f",
        ObjectStore = new ObjectStoreCredentials("AKIATENANTA", "tenant-a-secret-key", "https://minio.tenant-a.test", "eu-central-1"),
    };

    public static readonly WeightCredentials OtherTenantCredentials = new()
    {
        HuggingFaceToken = "hf_tenant_b_77d0",
        ObjectStore = new ObjectStoreCredentials("AKIATENANTB", "tenant-b-secret-key"),
    };

    /// <summary>A fine-tune in a Hugging Face repository the catalog does not list.</summary>
    public static ResolvedDeployment HuggingFaceFineTune(string name = "support-ft") => TestDeployments.Resolve(new DeploymentSpec
    {
        Name = name,
        Model = ModelReference.FromHuggingFace("acme-corp/llama-8b-support-ft", "v3", architectureOf: "llama-3.1-8b-instruct"),
        GpuType = "h100-80gb",
        Region = "us-west",
    });

    /// <summary>Weights under an s3:// URI.</summary>
    public static ResolvedDeployment ObjectStoreModel(string name = "s3-chat") => TestDeployments.Resolve(new DeploymentSpec
    {
        Name = name,
        Model = ModelReference.FromObjectStore("s3://acme-weights/llama-8b-ft", architectureOf: "llama-3.1-8b-instruct"),
        GpuType = "h100-80gb",
        Region = "us-west",
    });
}
