using Portal.Core.Catalog;
using Portal.Core.Deployments;

namespace Portal.Core.Tests.Deployments;

public class WeightSourcesTests
{
    private static readonly ModelCatalog _catalog = ModelCatalog.Default;

    private static DeploymentSpec Spec(ModelReference model) => new()
    {
        Name = "own-weights",
        Model = model,
        GpuType = "h100-80gb",
        Region = "us-east",
    };

    [Fact]
    public void CatalogModel_IsPublic()
    {
        Assert.Empty(WeightSources.PrivateSources(ModelReference.FromCatalog("llama-3.1-8b-instruct"), _catalog));
    }

    [Fact]
    public void HuggingFaceRepositoryOfTheCatalog_IsPublicWhateverItsCase()
    {
        Assert.Empty(WeightSources.PrivateSources(ModelReference.FromHuggingFace("META-LLAMA/llama-3.1-8b-instruct"), _catalog));
    }

    [Fact]
    public void HuggingFaceRepositoryOutsideTheCatalog_NeedsTheTenantsToken()
    {
        var sources = WeightSources.PrivateSources(ModelReference.FromHuggingFace("acme/support-ft", architectureOf: "llama-3.1-8b-instruct"), _catalog);

        var source = Assert.Single(sources);
        Assert.Equal(new PrivateWeightSource(WeightCredentialKind.HuggingFace, "acme/support-ft", DeploymentFields.ModelRepository), source);
    }

    [Fact]
    public void ObjectStoreUri_IsAlwaysPrivate()
    {
        var source = Assert.Single(WeightSources.PrivateSources(ModelReference.FromObjectStore("s3://acme-weights/llama-ft"), _catalog));

        Assert.Equal(WeightCredentialKind.ObjectStore, source.Kind);
        Assert.Equal(DeploymentFields.ModelObjectStoreUri, source.Field);
    }

    [Theory]
    [InlineData("s3://acme-weights/adapter", WeightCredentialKind.ObjectStore)]
    [InlineData("acme/support-lora", WeightCredentialKind.HuggingFace)]
    public void LoraAdapterOutsideTheCatalog_IsPrivateAndTheBaseIsNot(string adapter, WeightCredentialKind kind)
    {
        var source = Assert.Single(WeightSources.PrivateSources(ModelReference.LoraOn("llama-3.1-8b-instruct", adapter), _catalog));

        Assert.Equal(kind, source.Kind);
        Assert.Equal(adapter, source.Location);
        Assert.Equal(DeploymentFields.ModelAdapter, source.Field);
    }

    [Fact]
    public void Missing_NamesTheFieldAndTheCredential_OnlyForKindsNotStored()
    {
        PrivateWeightSource[] sources =
        [
            new(WeightCredentialKind.HuggingFace, "acme/support-ft", DeploymentFields.ModelRepository),
            new(WeightCredentialKind.ObjectStore, "s3://acme/x", DeploymentFields.ModelObjectStoreUri),
        ];

        var missing = WeightSources.Missing(sources, [WeightCredentialKind.HuggingFace]);

        var (field, message) = Assert.Single(missing);
        Assert.Equal(DeploymentFields.ModelObjectStoreUri, field);
        Assert.Contains("object-store keys", message, StringComparison.Ordinal);
        Assert.Contains("s3://acme/x", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_RefusesAPrivateSourceWhoseCredentialIsNotStored()
    {
        var context = new DeploymentValidationContext { StoredWeightCredentials = [WeightCredentialKind.ObjectStore] };

        var result = DeploymentValidator.Validate(
            Spec(ModelReference.FromHuggingFace("acme/support-ft", architectureOf: "llama-3.1-8b-instruct")), _catalog, context);

        Assert.False(result.IsValid);
        Assert.Contains("Hugging Face token", Assert.Single(result.For(DeploymentFields.ModelRepository)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_AcceptsAPrivateSourceWithItsCredentialStored_AndResolvesItsPrivateSources()
    {
        var context = new DeploymentValidationContext { StoredWeightCredentials = [WeightCredentialKind.ObjectStore] };

        var result = DeploymentValidator.Validate(Spec(ModelReference.FromObjectStore("s3://acme-weights/ft", "llama-3.1-8b-instruct")), _catalog, context);

        Assert.True(result.IsValid, string.Join(" ", result.Errors.SelectMany(e => e.Value)));
        Assert.Equal([WeightCredentialKind.ObjectStore], result.Deployment!.PrivateCredentialKinds);
    }

    [Fact]
    public void Validator_DoesNotAskForCredentialsForAPublicCatalogModel()
    {
        var context = new DeploymentValidationContext { StoredWeightCredentials = [] };

        var result = DeploymentValidator.Validate(Spec(ModelReference.FromCatalog("llama-3.1-8b-instruct")), _catalog, context);

        Assert.True(result.IsValid);
        Assert.Empty(result.Deployment!.PrivateSources);
    }

    [Fact]
    public void Environment_HoldsOnlyTheNeededKindsValues()
    {
        var credentials = new WeightCredentials
        {
            HuggingFaceToken = "hf_tenantA",
            ObjectStore = new ObjectStoreCredentials("AKIAA", "secretA", "https://minio.acme.test", "eu-west-1"),
        };

        var environment = WeightSources.Environment([WeightCredentialKind.ObjectStore], credentials);

        Assert.Equal(new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIAA",
            ["AWS_SECRET_ACCESS_KEY"] = "secretA",
            ["AWS_ENDPOINT_URL"] = "https://minio.acme.test",
            ["AWS_REGION"] = "eu-west-1",
            ["AWS_DEFAULT_REGION"] = "eu-west-1",
        }, environment);
    }

    [Fact]
    public void Environment_RefusesWhenANeededCredentialIsAbsent()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => WeightSources.Environment([WeightCredentialKind.HuggingFace], new WeightCredentials { ObjectStore = new("a", "b") }));

        Assert.Contains("Hugging Face token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_ToStringNeverShowsASecret()
    {
        var text = new WeightCredentials { HuggingFaceToken = "hf_secret", ObjectStore = new("AKIA1", "very-secret") }.ToString();

        Assert.DoesNotContain("hf_secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret", text, StringComparison.Ordinal);
    }
}
