using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Sizing;

namespace Portal.Core.Tests.Deployments;

public class DeploymentValidatorTests
{
    private static readonly ModelCatalog _catalog = ModelCatalog.Default;

    private static DeploymentSpec Spec(string model = "llama-3.1-8b-instruct") => new()
    {
        Name = "chat-prod",
        Model = ModelReference.FromCatalog(model),
        GpuType = "h100-80gb",
        GpusPerReplica = 1,
        BaselineReplicas = 1,
        MaxReplicas = 2,
        Region = "us-east",
    };

    private static DeploymentValidationResult Validate(DeploymentSpec spec, DeploymentValidationContext? context = null) =>
        DeploymentValidator.Validate(spec, _catalog, context ?? DeploymentValidationContext.Unrestricted);

    [Fact]
    public void ValidSpec_ResolvesWithClassDefaultsAndTheRepositoryAsServedName()
    {
        var result = Validate(Spec());

        Assert.True(result.IsValid, string.Join(" ", result.Errors.SelectMany(e => e.Value)));
        var deployment = result.Deployment!;
        Assert.Equal("meta-llama/Llama-3.1-8B-Instruct", deployment.ServedModelName);
        Assert.Equal("meta-llama/Llama-3.1-8B-Instruct", deployment.ModelPath);
        Assert.Equal(new RuntimeSettings(), deployment.Runtime);
        Assert.True(deployment.Fit.Fits);
        Assert.Equal("us-east", deployment.Region.Id);
    }

    [Fact]
    public void Llama405BOnOneH100_IsRefusedWithTheNumbersAndASuggestion()
    {
        var result = Validate(Spec("llama-3.1-405b-instruct"));

        var messages = result.For(DeploymentFields.GpusPerReplica);
        Assert.False(result.IsValid);
        Assert.Null(result.Deployment);
        Assert.StartsWith("Llama 3.1 405B Instruct in bf16 needs 756.0 GiB for its weights alone; 1 × H100 80GB offers 71.7 GiB", messages[0]);
        Assert.StartsWith("The smallest configuration that fits is 8 × H200 141GB", messages[1]);
    }

    [Fact]
    public void Llama405BInsideALockWithOnlyH100s_SaysNothingFits()
    {
        var result = Validate(
            Spec("llama-3.1-405b-instruct") with { Region = "eu-paris", GpusPerReplica = 8 },
            new DeploymentValidationContext { AllowedRegions = ["eu-paris"] });

        Assert.Equal(
            "No GPU type offered in the allowed regions fits Llama 3.1 405B Instruct with these settings; "
            + "lower the context length or concurrent sequences, or quantize the weights.",
            result.For(DeploymentFields.GpusPerReplica)[1]);
    }

    [Fact]
    public void Llama70BOnOneH100_SuggestsTheSmallestConfigurationInsideTheLock()
    {
        var result = Validate(
            Spec("llama-3.1-70b-instruct") with { Region = "eu-paris" },
            new DeploymentValidationContext { AllowedRegions = ["eu-paris", "eu-frankfurt"] });

        Assert.Equal(
            "The smallest configuration that fits is 2 × H200 141GB (needs 175.4 GiB of 252.7 GiB), offered in eu-frankfurt.",
            result.For(DeploymentFields.GpusPerReplica)[1]);
    }

    [Fact]
    public void TensorParallelThatDoesNotDivideTheHeads_IsRefused()
    {
        var result = Validate(Spec("qwen2.5-7b-instruct") with { GpusPerReplica = 8 });

        Assert.Equal(
            ["Qwen2.5 7B Instruct has 28 attention heads, which 8 GPUs cannot split evenly; choose 1, 2 or 4 GPUs per replica."],
            result.For(DeploymentFields.GpusPerReplica));
    }

    [Fact]
    public void TensorParallelThree_IsRefused() =>
        Assert.Contains(
            "3 GPUs per replica is not a supported tensor-parallel size: choose 1, 2, 4 or 8.",
            Validate(Spec() with { GpusPerReplica = 3 }).For(DeploymentFields.GpusPerReplica));

    [Fact]
    public void GpuTypeNotOfferedInTheRegion_IsRefused()
    {
        var result = Validate(Spec() with { GpuType = "b200-192gb", Region = "eu-paris" });

        Assert.Equal(
            ["EU Paris (partner data centre) does not offer B200 192GB; it offers h100-80gb. "
                + "B200 192GB is available in us-west, us-central, us-east, eu-frankfurt, jp-tokyo."],
            result.For(DeploymentFields.GpuType));
    }

    [Fact]
    public void RegionOutsideTheLock_IsRefused()
    {
        var result = Validate(Spec(), new DeploymentValidationContext { AllowedRegions = ["eu-frankfurt", "eu-paris"] });

        Assert.Equal(
            ["US East (Virginia) (us-east) is outside this organisation's region lock, which allows only eu-frankfurt, eu-paris."],
            result.For(DeploymentFields.Region));
    }

    [Theory]
    [InlineData(0, 2, "BaselineReplicas", "Baseline replicas must be at least 1 (got 0): a dedicated deployment keeps its weights loaded.")]
    [InlineData(-1, 2, "BaselineReplicas", "Baseline replicas must be at least 1 (got -1): a dedicated deployment keeps its weights loaded.")]
    [InlineData(1, 0, "MaxReplicas", "Maximum replicas must be at least 1 (got 0).")]
    [InlineData(3, 2, "MaxReplicas", "Maximum replicas (2) cannot be below the baseline (3).")]
    public void BadReplicaCounts_AreRefused(int baseline, int max, string field, string message) =>
        Assert.Equal([message], Validate(Spec() with { BaselineReplicas = baseline, MaxReplicas = max }).For(field));

    [Fact]
    public void UnknownModel_IsRefused()
    {
        var result = Validate(Spec("gpt-5"));

        var message = Assert.Single(result.For(DeploymentFields.ModelCatalogId));
        Assert.StartsWith("There is no model 'gpt-5' in the catalog. Known models: llama-3.1-8b-instruct, ", message);
    }

    [Theory]
    [InlineData("llama")]
    [InlineData("-owner/model")]
    [InlineData("owner/model/extra")]
    [InlineData("owner/mo del")]
    [InlineData("owner/mo--del")]
    [InlineData("owner/.model")]
    public void MalformedHuggingFaceRepository_IsRefused(string repository)
    {
        var spec = Spec() with { Model = ModelReference.FromHuggingFace(repository, "main", architectureOf: "llama-3.1-8b-instruct") };

        var message = Assert.Single(Validate(spec).For(DeploymentFields.ModelRepository));
        Assert.StartsWith($"'{repository}' is not a Hugging Face repository id: use owner/name", message);
    }

    [Fact]
    public void HuggingFaceRepositoryOver96Characters_IsRefused()
    {
        var spec = Spec() with { Model = ModelReference.FromHuggingFace("acme/" + new string('m', 92), architectureOf: "llama-3.1-8b-instruct") };

        Assert.Single(Validate(spec).For(DeploymentFields.ModelRepository));
    }

    [Fact]
    public void FineTuneOnHuggingFace_SharesTheCatalogArchitectureAndServesUnderItsRepository()
    {
        var spec = Spec() with { Model = ModelReference.FromHuggingFace("acme-ai/support-bot-8b", "v1.2", architectureOf: "llama-3.1-8b-instruct") };

        var deployment = Validate(spec).Deployment!;

        Assert.Equal("acme-ai/support-bot-8b", deployment.ServedModelName);
        Assert.Equal("v1.2", deployment.Revision);
        Assert.Equal(32, deployment.Architecture.Layers);
    }

    [Fact]
    public void BringYourOwnWithoutArchitecture_AsksForIt() =>
        Assert.StartsWith(
            "A bring-your-own model needs its architecture",
            Assert.Single(Validate(Spec() with { Model = ModelReference.FromHuggingFace("acme/model") }).For(DeploymentFields.ModelConfigJson)));

    [Fact]
    public void PastedConfigJson_IsParsedAndSized()
    {
        var spec = Spec() with
        {
            Model = new ModelReference
            {
                Source = ModelSource.ObjectStore,
                ObjectStoreUri = "s3://acme-models/llama-8b-ft/",
                ConfigJson = ModelConfigJsonTests.Llama8BConfig,
                Parameters = 8_030_261_248,
            },
        };

        var deployment = Validate(spec).Deployment!;

        Assert.Equal("chat-prod", deployment.ServedModelName);
        Assert.Equal(131_072, deployment.Fit.KvBytesPerToken);
    }

    [Fact]
    public void PastedConfigJson_WithoutParameters_IsRefused()
    {
        var spec = Spec() with { Model = new ModelReference { Source = ModelSource.HuggingFace, Repository = "acme/m", ConfigJson = "{}" } };

        Assert.Equal(
            ["Give the model's total parameter count: config.json does not state it."],
            Validate(spec).For(DeploymentFields.ModelParameters));
    }

    [Fact]
    public void ObjectStoreWeights_NeedVllm()
    {
        var spec = Spec() with { Engine = InferenceEngine.Sglang, Model = ModelReference.FromObjectStore("s3://acme/w", "llama-3.1-8b-instruct") };

        Assert.Equal(
            ["SGLang loads weights from Hugging Face or a local path; weights at an s3:// URI need vLLM."],
            Validate(spec).For(DeploymentFields.Engine));
    }

    [Fact]
    public void LoraAdapter_ServesUnderTheDeploymentName()
    {
        var spec = Spec() with { Model = ModelReference.LoraOn("llama-3.1-8b-instruct", "acme/support-lora") };

        var deployment = Validate(spec).Deployment!;

        Assert.Equal("chat-prod", deployment.ServedModelName);
        Assert.Equal("acme/support-lora", deployment.Adapter);
        Assert.Equal("meta-llama/Llama-3.1-8B-Instruct", deployment.ModelPath);
    }

    [Theory]
    [InlineData("chat-prod", true)]
    [InlineData("abc", true)]
    [InlineData("ab", false)]
    [InlineData("Chat-Prod", false)]
    [InlineData("chat_prod", false)]
    [InlineData("9chat", false)]
    [InlineData("chat-", false)]
    [InlineData("a234567890123456789012345678901234567890", true)]
    [InlineData("a2345678901234567890123456789012345678901", false)]
    public void Name_MustBeADnsLabelOf3To40Characters(string name, bool valid) =>
        Assert.Equal(valid, Validate(Spec() with { Name = name }).For(DeploymentFields.Name).Count == 0);

    [Fact]
    public void NameAlreadyInUse_IsRefused()
    {
        var result = Validate(Spec(), new DeploymentValidationContext { NamesInUse = ["Chat-Prod", "batch"] });

        Assert.Equal(["A deployment named 'chat-prod' already exists; choose another name."], result.For(DeploymentFields.Name));
    }

    [Fact]
    public void ContextLongerThanTheModelSupports_IsRefused()
    {
        var spec = Spec("qwen2.5-7b-instruct") with { Runtime = new RuntimeSettings { MaxContextLength = 65_536, MaxConcurrentSequences = 1 } };

        Assert.Equal(
            ["Qwen2.5 7B Instruct supports at most 32,768 tokens of context, not 65,536."],
            Validate(spec).For(DeploymentFields.MaxContextLength));
    }

    [Fact]
    public void CutlassMla_NeedsAnMlaModelOnBlackwell()
    {
        var cutlass = new RuntimeSettings { AttentionBackend = AttentionBackend.CutlassMla };

        Assert.Equal(
            ["CUTLASS MLA serves multi-head latent attention only; Llama 3.1 8B Instruct uses standard attention."],
            Validate(Spec() with { Runtime = cutlass }).For(DeploymentFields.AttentionBackend));
        Assert.Equal(
            ["CUTLASS MLA needs a Blackwell GPU (B200); H200 141GB is Hopper."],
            Validate(Spec("deepseek-v3") with { Runtime = cutlass, GpuType = "h200-141gb", GpusPerReplica = 8 }).For(DeploymentFields.AttentionBackend));
        Assert.True(Validate(Spec("deepseek-v3") with { Runtime = cutlass, GpuType = "b200-192gb", GpusPerReplica = 8 }).IsValid);
    }

    [Fact]
    public void Fp4OnHopper_IsRefusedOnTheQuantizationField() =>
        Assert.Equal(
            ["FP4 weights need a GPU with FP4 support; H100 80GB has none."],
            Validate(Spec() with { Runtime = new RuntimeSettings { Quantization = Quantization.Fp4 } }).For(DeploymentFields.Quantization));

    [Fact]
    public void ToProblemErrors_GivesTheValidationProblemShape()
    {
        var errors = Validate(Spec() with { Name = "x", MaxReplicas = 0 }).ToProblemErrors();

        Assert.Equal(["MaxReplicas", "Name"], errors.Keys.Order());
        Assert.IsType<string[]>(errors["Name"]);
    }
}
