using Portal.Core.Tenancy;

namespace Portal.Core.Tests.Tenancy;

public sealed class NavigationMatchTests
{
    [Theory]
    [InlineData("", "/", true, true)]
    [InlineData("/", "/", true, true)]
    [InlineData("?tour=1", "/", true, true)]
    [InlineData("endpoints", "/", true, false)]
    [InlineData("endpoints", "/endpoints", false, true)]
    [InlineData("endpoints/", "/endpoints", false, true)]
    [InlineData("endpoints/3f2a", "/endpoints", false, true)]
    [InlineData("endpoints?page=2#top", "/endpoints", false, true)]
    [InlineData("Endpoints", "/endpoints", false, true)]
    [InlineData("endpoints-archive", "/endpoints", false, false)]
    [InlineData("migration/break-even", "/migration", false, true)]
    [InlineData("migration/break-even", "/migration/break-even", false, true)]
    [InlineData("migration", "/migration/break-even", false, false)]
    [InlineData("health/notifications", "/health", false, true)]
    [InlineData("usage", "/health", false, false)]
    [InlineData("observability?model=chat-small", "/observability", false, true)]
    public void IsActive_FollowsNavLinksRule(string currentPath, string href, bool exact, bool expected) =>
        Assert.Equal(expected, NavigationMatch.IsActive(currentPath, href, exact));
}
