using Portal.Core.Catalog;
using Portal.Core.Cost;
using Portal.Core.Deployments;
using Portal.Core.Sizing;

namespace Portal.Core.Tests.Sizing;

public class ConfigurationSearchTests
{
    private static readonly ModelCatalog _catalog = ModelCatalog.Default;

    private static FitCandidate? Smallest(string modelId, RuntimeSettings? runtime = null, string[]? regions = null, GpuPricing? pricing = null)
    {
        var model = _catalog.GetModel(modelId);
        return ConfigurationSearch.FindSmallest(model.DisplayName, model.Architecture, runtime ?? new RuntimeSettings(), _catalog, regions, pricing);
    }

    [Fact]
    public void Llama8B_FitsOneOfTheSmallestGpu()
    {
        var smallest = Smallest("llama-3.1-8b-instruct");

        Assert.NotNull(smallest);
        Assert.Equal("1 × H100 80GB", smallest.ToString());
    }

    [Fact]
    public void Llama70BBf16_SmallestIsTwoH200s_ButFourH100sInParis()
    {
        // 175.4 GiB needed: one B200 offers 161.2 GiB, two H100s 143.4 GiB, two H200s 252.7 GiB.
        Assert.Equal("2 × H200 141GB", Smallest("llama-3.1-70b-instruct")!.ToString());
        // Paris offers only H100s.
        Assert.Equal("4 × H100 80GB", Smallest("llama-3.1-70b-instruct", regions: ["eu-paris"])!.ToString());
    }

    [Fact]
    public void Pricing_BreaksTiesBetweenEquallySmallConfigurations()
    {
        var pricing = new GpuPricing { PerGpuHourUsd = { ["h100-80gb"] = 2.50m, ["h200-141gb"] = 3.50m, ["b200-192gb"] = 3.00m } };

        var smallest = Smallest("llama-3.1-8b-instruct", pricing: pricing);

        Assert.Equal("1 × H100 80GB", smallest!.ToString());
        Assert.Equal(2.50m, smallest.PricePerReplicaHourUsd);
    }

    [Fact]
    public void NoAllowedRegionWithCapacity_GivesNull() =>
        Assert.Null(Smallest("llama-3.1-405b-instruct", regions: ["eu-paris"]));

    [Fact]
    public void Candidates_ListOnlyRegionsInsideTheLock()
    {
        var model = _catalog.GetModel("llama-3.1-8b-instruct");

        var all = ConfigurationSearch.FindAll(model.DisplayName, model.Architecture, new RuntimeSettings(), _catalog, ["jp-tokyo", "eu-paris"]);

        Assert.All(all, c => Assert.All(c.Regions, r => Assert.Contains(r.Id, new[] { "jp-tokyo", "eu-paris" })));
        Assert.Equal(["eu-paris", "jp-tokyo"], all.First(c => c.Gpu.Id == "h100-80gb").Regions.Select(r => r.Id).Order());
    }
}
