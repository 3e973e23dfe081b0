using Portal.Core.Catalog;
using Portal.Core.Deployments;

namespace Portal.Core.Tests.Catalog;

public class ModelCatalogTests
{
    private static readonly ModelCatalog _catalog = ModelCatalog.Default;

    [Fact]
    public void EmbeddedResources_AreTheThreeFlatDataFiles()
    {
        var names = typeof(ModelCatalog).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(CatalogData.ResourcePrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(
            ["Portal.Core.Catalog.Data.gpus.json", "Portal.Core.Catalog.Data.models.json", "Portal.Core.Catalog.Data.regions.json"],
            names);
    }

    [Theory]
    [InlineData("llama-3.1-8b-instruct", 32, 32, 8, 128, 131072)]
    [InlineData("llama-3.1-70b-instruct", 80, 64, 8, 128, 131072)]
    [InlineData("llama-3.1-405b-instruct", 126, 128, 8, 128, 131072)]
    [InlineData("llama-4-scout-17b-16e-instruct", 48, 40, 8, 128, 10485760)]
    [InlineData("llama-4-maverick-17b-128e-instruct", 48, 40, 8, 128, 1048576)]
    [InlineData("qwen2.5-7b-instruct", 28, 28, 4, 128, 32768)]
    [InlineData("qwen2.5-72b-instruct", 80, 64, 8, 128, 32768)]
    [InlineData("mixtral-8x7b-instruct", 32, 32, 8, 128, 32768)]
    [InlineData("mixtral-8x22b-instruct", 56, 48, 8, 128, 65536)]
    [InlineData("kimi-k2-instruct", 61, 64, 64, 192, 131072)]
    [InlineData("glm-4.5", 92, 96, 8, 128, 131072)]
    [InlineData("glm-4.6", 92, 96, 8, 128, 202752)]
    [InlineData("deepseek-v3.1", 61, 128, 128, 192, 163840)]
    [InlineData("deepseek-r1-0528", 61, 128, 128, 192, 163840)]
    [InlineData("llama-3.1-nemotron-70b-instruct", 80, 64, 8, 128, 131072)]
    public void Default_HoldsThePublishedConfigNumbers(string id, int layers, int heads, int kvHeads, int headDim, int maxContext)
    {
        var architecture = _catalog.GetModel(id).Architecture;

        Assert.Equal(layers, architecture.Layers);
        Assert.Equal(heads, architecture.AttentionHeads);
        Assert.Equal(kvHeads, architecture.KeyValueHeads);
        Assert.Equal(headDim, architecture.HeadDim);
        Assert.Equal(maxContext, architecture.MaxContextLength);
    }

    [Fact]
    public void DeepSeekV3_IsAnMlaMixtureOfExpertsPublishedInFp8()
    {
        var model = _catalog.GetModel("deepseek-v3");

        Assert.Equal(ModelClass.Mla, model.Class);
        Assert.Equal(512, model.Architecture.KvLoraRank);
        Assert.Equal(64, model.Architecture.QkRopeHeadDim);
        Assert.Equal(61, model.Architecture.Layers);
        Assert.Equal(37_000_000_000, model.Architecture.ActiveParameters);
        Assert.Equal(Portal.Core.Sizing.WeightDtype.Fp8, model.Architecture.CheckpointDtype);
    }

    [Fact]
    public void MixtureOfExperts_HaveTotalAndActiveParameters()
    {
        foreach (var model in _catalog.Models.Where(m => m.Class == ModelClass.Moe))
        {
            Assert.True(model.Architecture.ActiveParameters < model.Architecture.Parameters, model.Id);
        }

        Assert.Equal(ModelClass.Moe, _catalog.GetModel("mixtral-8x7b-instruct").Class);
        Assert.Equal(ModelClass.Dense, _catalog.GetModel("llama-3.1-8b-instruct").Class);
    }

    [Fact]
    public void Gpus_HaveTheirMemoryBandwidthComputeAndPrecisions()
    {
        var h100 = _catalog.GetGpu("h100-80gb");
        var h200 = _catalog.GetGpu("h200-141gb");
        var b200 = _catalog.GetGpu("b200-192gb");

        Assert.Equal((80, 3.35, true, false), (h100.MarketedMemoryGB, h100.MemoryBandwidthTBps, h100.SupportsFp8, h100.SupportsFp4));
        Assert.Equal((141, 4.8, true, false), (h200.MarketedMemoryGB, h200.MemoryBandwidthTBps, h200.SupportsFp8, h200.SupportsFp4));
        Assert.Equal((192, 8.0, true, true), (b200.MarketedMemoryGB, b200.MemoryBandwidthTBps, b200.SupportsFp8, b200.SupportsFp4));
        Assert.Equal((989.0, 989.0, 2250.0), (h100.DenseBf16Tflops, h200.DenseBf16Tflops, b200.DenseBf16Tflops));
        Assert.Equal("HBM3", h100.MemoryType);
        Assert.Equal(81559L * 1024 * 1024, h100.MemoryBytes);
    }

    [Fact]
    public void Regions_CoverTheProductBriefWithJurisdictionsAndNearestOrder()
    {
        Assert.Equal(
            ["us-west", "us-central", "us-east", "us-south", "eu-frankfurt", "eu-amsterdam", "eu-paris", "jp-tokyo", "sg-singapore", "tw-taipei"],
            _catalog.Regions.Select(r => r.Id));
        Assert.Equal(Jurisdiction.TW, _catalog.GetRegion("tw-taipei").Jurisdiction);
        Assert.Equal(Jurisdiction.EU, _catalog.GetRegion("eu-paris").Jurisdiction);
        Assert.Equal(["eu-amsterdam", "eu-frankfurt"], _catalog.GetRegion("eu-paris").Nearest.Take(2));
        Assert.Equal("tw-taipei", _catalog.GetRegion("jp-tokyo").Nearest[0]);
        Assert.True(_catalog.GetRegion("us-east").Offers("B200-192GB"));
        Assert.False(_catalog.GetRegion("eu-paris").Offers("h200-141gb"));
    }

    [Fact]
    public void DefaultRuntime_CapsTheClassDefaultContextAtTheModelsMaximum()
    {
        var dense = _catalog.DefaultRuntime(_catalog.GetModel("llama-3.1-8b-instruct").Architecture);
        var mla = _catalog.DefaultRuntime(_catalog.GetModel("deepseek-v3").Architecture);
        var tiny = _catalog.DefaultRuntime(_catalog.GetModel("qwen2.5-7b-instruct").Architecture with { MaxContextLength = 2048 });

        Assert.Equal((8192, 16, AttentionBackend.FlashAttention), (dense.MaxContextLength, dense.MaxConcurrentSequences, dense.AttentionBackend));
        Assert.Equal(AttentionBackend.FlashInfer, mla.AttentionBackend);
        Assert.Equal(2048, tiny.MaxContextLength);
    }

    [Fact]
    public void Lookups_ThrowForUnknownIdsNamingTheKnownOnes()
    {
        var error = Assert.Throws<UnknownCatalogIdException>(() => _catalog.GetModel("gpt-5"));

        Assert.Contains("Unknown model 'gpt-5'", error.Message);
        Assert.Contains("llama-3.1-8b-instruct", error.Message);
        Assert.Throws<UnknownCatalogIdException>(() => _catalog.GetGpu("a100"));
        Assert.Throws<UnknownCatalogIdException>(() => _catalog.GetRegion("mars-1"));
        Assert.Null(_catalog.FindModel("gpt-5"));
        Assert.Same(_catalog.GetModel("llama-3.1-8b-instruct"), _catalog.GetModel("LLAMA-3.1-8B-INSTRUCT"));
    }

    [Fact]
    public void Parse_RefusesARegionOfferingAnUnknownGpu()
    {
        const string Gpus = """{"gpus":[]}""";
        const string Regions = """{"regions":[{"id":"x","displayName":"X","jurisdiction":"US","gpuTypes":["h100-80gb"],"nearest":[]}]}""";
        var models = """{"classDefaults":{"dense":{},"moe":{},"mla":{}},"models":[]}""";

        var error = Assert.Throws<InvalidDataException>(() => CatalogData.Parse(models, Gpus, Regions));

        Assert.Contains("unknown GPU type 'h100-80gb'", error.Message);
    }

    [Fact]
    public void APublishedThroughput_IsTheCatalogCapacityOfThatGpuAndCountOnly()
    {
        var model = _catalog.GetModel("llama-3.1-8b-instruct");

        var capacity = model.CapacityOn("h100-80gb", 1);

        Assert.Equal(5103, capacity!.TokensPerSecond);
        Assert.StartsWith("catalog: MLPerf Inference v5.1", capacity.Source);
        Assert.Null(model.CapacityOn("h100-80gb", 2));
        Assert.Null(model.CapacityOn("b200-192gb", 1));
    }
}
