using Portal.Core.Catalog;
using Portal.Core.Residency;

namespace Portal.Core.Tests.Residency;

public sealed class RegionPlacementTests
{
    private static readonly ModelCatalog Catalog = ModelCatalog.Default;

    private static Region Home => Catalog.Regions.First(r => r.Jurisdiction == Jurisdiction.EU);

    [Fact]
    public void Home_region_is_chosen_while_it_has_capacity()
    {
        Assert.Equal(Home.Id, RegionPlacement.Choose(Home, null, _ => true));
    }

    [Fact]
    public void A_full_home_region_borrows_from_the_nearest_region_with_capacity()
    {
        var expected = Home.Nearest[0];
        Assert.Equal(expected, RegionPlacement.Choose(Home, null, id => id != Home.Id));
    }

    [Fact]
    public void A_region_outside_the_lock_is_never_chosen_even_with_capacity()
    {
        var allowed = new HashSet<string> { Home.Id };
        Assert.Null(RegionPlacement.Choose(Home, allowed, id => id != Home.Id));
    }

    [Fact]
    public void Borrowing_skips_nearer_regions_outside_the_lock()
    {
        var farthest = Home.Nearest[^1];
        var allowed = new HashSet<string> { Home.Id, farthest };
        Assert.Equal(farthest, RegionPlacement.Choose(Home, allowed, id => id != Home.Id));
    }

    [Fact]
    public void An_empty_lock_allows_nothing()
    {
        Assert.Null(RegionPlacement.Choose(Home, new HashSet<string>(), _ => true));
    }
}
