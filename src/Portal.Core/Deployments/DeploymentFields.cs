namespace Portal.Core.Deployments;

/// <summary>Keys of <see cref="DeploymentValidationResult.Errors"/>: property paths of <see cref="DeploymentSpec"/>.</summary>
public static class DeploymentFields
{
    public const string Name = nameof(DeploymentSpec.Name);
    public const string Model = nameof(DeploymentSpec.Model);
    public const string ModelCatalogId = "Model.CatalogId";
    public const string ModelRepository = "Model.Repository";
    public const string ModelRevision = "Model.Revision";
    public const string ModelObjectStoreUri = "Model.ObjectStoreUri";
    public const string ModelAdapter = "Model.Adapter";
    public const string ModelArchitecture = "Model.Architecture";
    public const string ModelConfigJson = "Model.ConfigJson";
    public const string ModelParameters = "Model.Parameters";
    public const string Engine = nameof(DeploymentSpec.Engine);
    public const string Quantization = "Runtime.Quantization";
    public const string KvCacheDtype = "Runtime.KvCacheDtype";
    public const string AttentionBackend = "Runtime.AttentionBackend";
    public const string MaxContextLength = "Runtime.MaxContextLength";
    public const string MaxConcurrentSequences = "Runtime.MaxConcurrentSequences";
    public const string GpuMemoryUtilization = "Runtime.GpuMemoryUtilization";
    public const string GpuType = nameof(DeploymentSpec.GpuType);
    public const string GpusPerReplica = nameof(DeploymentSpec.GpusPerReplica);
    public const string BaselineReplicas = nameof(DeploymentSpec.BaselineReplicas);
    public const string MaxReplicas = nameof(DeploymentSpec.MaxReplicas);
    public const string Region = nameof(DeploymentSpec.Region);
    public const string ServedModelName = nameof(DeploymentSpec.ServedModelName);
}
