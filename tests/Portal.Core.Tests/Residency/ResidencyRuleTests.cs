using Portal.Core.Catalog;
using Portal.Core.Residency;

namespace Portal.Core.Tests.Residency;

public sealed class ResidencyRuleTests
{
    private static readonly ModelCatalog Catalog = ModelCatalog.Default;

    private static HashSet<string> Set(params string[] ids) => new(ids, StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void Effective_without_any_lock_is_unlocked()
    {
        Assert.Null(ResidencyRule.Effective(null, [null, null]));
    }

    [Fact]
    public void Effective_is_the_tenant_policy_intersected_with_every_endpoint_lock()
    {
        var tenant = Set("eu-frankfurt", "eu-amsterdam", "eu-paris");
        var effective = ResidencyRule.Effective(tenant, [Set("eu-frankfurt", "eu-paris"), null, Set("eu-paris", "eu-amsterdam")]);
        Assert.Equal(["eu-paris"], effective!.Order());
    }

    [Fact]
    public void Effective_of_an_endpoint_lock_alone_is_that_lock()
    {
        Assert.Equal(["us-east"], ResidencyRule.Effective(null, [Set("us-east")])!);
    }

    [Fact]
    public void Effective_of_disjoint_locks_allows_nothing()
    {
        Assert.Empty(ResidencyRule.Effective(Set("us-east"), [Set("eu-paris")])!);
    }

    [Fact]
    public void Resolve_expands_jurisdictions_to_their_regions_and_adds_single_regions()
    {
        var resolved = ResidencyRule.Resolve(Catalog, [Jurisdiction.EU], ["jp-tokyo"]);
        Assert.Equal(["eu-amsterdam", "eu-frankfurt", "eu-paris", "jp-tokyo"], resolved.Order());
    }

    [Fact]
    public void Resolve_refuses_a_region_the_catalog_does_not_know()
    {
        Assert.Throws<UnknownCatalogIdException>(() => ResidencyRule.Resolve(Catalog, null, ["mars-north"]));
    }

    [Fact]
    public void An_endpoint_lock_outside_the_tenant_policy_is_not_within_it()
    {
        Assert.True(ResidencyRule.IsWithin(Set("eu-paris"), Set("eu-paris", "eu-frankfurt")));
        Assert.False(ResidencyRule.IsWithin(Set("eu-paris", "us-east"), Set("eu-paris", "eu-frankfurt")));
        Assert.True(ResidencyRule.IsWithin(Set("us-east"), null));
    }

    [Fact]
    public void Stranded_names_deployments_whose_home_or_live_replicas_fall_outside_the_new_lock()
    {
        var endpoint = Guid.NewGuid();
        var home = new LockedDeployment(Guid.NewGuid(), "home-us", "us-east", ["us-east"], []);
        var burst = new LockedDeployment(Guid.NewGuid(), "burst-us", "eu-paris", ["eu-paris", "us-east"], []);
        var fine = new LockedDeployment(Guid.NewGuid(), "fine", "eu-paris", ["eu-paris"], [endpoint]);

        var stranded = ResidencyRule.Stranded([home, burst, fine], Set("eu-paris", "eu-frankfurt"), _ => null);

        Assert.Equal(["home-us", "burst-us"], stranded.Select(s => s.Name));
        Assert.Equal(["us-east"], stranded[1].Regions);
    }

    [Fact]
    public void Stranded_applies_the_locks_of_the_endpoints_routing_to_the_deployment()
    {
        var endpoint = Guid.NewGuid();
        var deployment = new LockedDeployment(Guid.NewGuid(), "paris", "eu-paris", ["eu-paris"], [endpoint]);

        Assert.Empty(ResidencyRule.Stranded([deployment], null, _ => Set("eu-paris")));
        Assert.Single(ResidencyRule.Stranded([deployment], null, e => e == endpoint ? Set("eu-frankfurt") : null));
    }

    [Fact]
    public void Format_and_parse_round_trip_sorted_and_unlocked_is_null()
    {
        Assert.Equal("eu-frankfurt,eu-paris", ResidencyRule.Format(Set("eu-paris", "eu-frankfurt")));
        Assert.Null(ResidencyRule.Format(null));
        Assert.Null(ResidencyRule.Parse(null));
        Assert.Equal(["eu-frankfurt", "eu-paris"], ResidencyRule.Parse("eu-frankfurt,eu-paris")!.Order());
    }
}
