using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Core.Tenancy;

namespace Portal.Components.Layout;

/// <summary>How each product area appears in the navigation.</summary>
public static class AreaLinks
{
    public sealed record AreaLink(Area Area, string Title, string Href, string Icon)
    {
        /// <summary>The entry's link in the navigation; built once, so open pages share the strings.</summary>
        public MarkupString NavLink { get; } = IconMarkup.NavLink(Href, Title, Icon, active: false);

        public MarkupString ActiveNavLink { get; } = IconMarkup.NavLink(Href, Title, Icon, active: true);

        /// <summary>The Overview entry matches only its own address; every other entry matches its pages too.</summary>
        public bool IsActive(string currentPath) => NavigationMatch.IsActive(currentPath, Href, exact: Href == "/");
    }

    public static readonly IReadOnlyList<AreaLink> All =
    [
        new(Area.Overview, "Overview", "/", Icons.Material.Filled.Dashboard),
        new(Area.Deploy, "Deploy", "/deploy", Icons.Material.Filled.RocketLaunch),
        new(Area.Endpoints, "Endpoints", "/endpoints", Icons.Material.Filled.Hub),
        new(Area.Observability, "Observability", "/observability", Icons.Material.Filled.Insights),
        new(Area.Migration, "Migration", "/migration", Icons.Material.Filled.CompareArrows),
        new(Area.Regions, "Regions", "/regions", Icons.Material.Filled.Public),
        new(Area.Audit, "Audit", "/audit", Icons.Material.Filled.VerifiedUser),
        new(Area.HealthSla, "Health & SLA", "/health", Icons.Material.Filled.MonitorHeart),
        new(Area.Usage, "Usage & cost", "/usage", Icons.Material.Filled.Payments),
        new(Area.ApiKeys, "API keys", "/api-keys", Icons.Material.Filled.Key),
        new(Area.Members, "Members", "/members", Icons.Material.Filled.People),
        new(Area.Support, "Support", "/support", Icons.Material.Filled.SupportAgent),
        new(Area.Tenants, "Tenants", "/platform/tenants", Icons.Material.Filled.Business),
    ];

    /// <summary>Pages within an area, listed under its entry in the navigation.</summary>
    public static readonly IReadOnlyList<AreaLink> Pages =
    [
        new(Area.Migration, "Break-even", "/migration/break-even", Icons.Material.Filled.Calculate),
        new(Area.Migration, "Pipelines", "/pipelines", Icons.Material.Filled.AccountTree),
        new(Area.HealthSla, "Notifications", "/health/notifications", Icons.Material.Filled.NotificationsActive),
    ];

    public static string Title(Area area) => All.First(a => a.Area == area).Title;
}
