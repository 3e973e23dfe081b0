using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace Portal.Components.Layout;

/// <summary>
/// MudThemeProvider whose style sheets every open page shares. The theme's CSS variables come to ~12,000 characters,
/// and MudThemeProvider keeps its own copy for as long as its page stays open; the portal has one theme (light or
/// dark), so each page keeps a reference to the portal's copy and its own is collected at once.
/// </summary>
public sealed class PortalThemeProvider : MudThemeProvider
{
    [Inject]
    private ThemeStyles Styles { get; set; } = default!;

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        // MudThemeProvider also writes a chart hover rule here; it lives in app.css instead.
        builder.AddMarkupContent(0, Styles.Shared(BuildMudBlazorScrollbar()));
        builder.AddMarkupContent(1, Styles.Shared(BuildTheme()));
    }
}

/// <summary>The style sheets <see cref="PortalThemeProvider"/> renders, one copy of each per portal.</summary>
public sealed class ThemeStyles
{
    // A handful of entries: the scrollbar and the theme in light and in dark.
    private readonly ConcurrentDictionary<string, string> _sheets = new(StringComparer.Ordinal);

    public string Shared(string sheet) => _sheets.GetOrAdd(sheet, sheet);
}
