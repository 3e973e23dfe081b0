using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Components;

namespace Portal.Components.Layout;

/// <summary>
/// The markup MudBlazor's MudIcon, MudNavLink and MudIconButton render, written out once as strings. Every component on
/// an open page keeps its own render tree for as long as the page is open, so the navigation, the app bar and the
/// Overview's cards, which nothing on them needs a component for, are plain markup with the same classes.
/// </summary>
public static class IconMarkup
{
    /// <summary>An icon path string from MudBlazor's <c>Icons</c> as the inline &lt;svg&gt; MudIcon renders for it.</summary>
    public static string Svg(string icon, string classes) =>
        $"""<svg class="mud-icon-root {classes}" focusable="false" viewBox="0 0 24 24" aria-hidden="true" role="img">{icon}</svg>""";

    /// <summary>A navigation entry's link as MudNavLink renders it; the active one is marked for the eye and for screen readers.</summary>
    public static MarkupString NavLink(string href, string title, string icon, bool active)
    {
        var marking = active ? "class=\"mud-nav-link mud-ripple active\" aria-current=\"page\"" : "class=\"mud-nav-link mud-ripple\"";
        return new($"""<a href="{Encode(href)}" tabindex="0" {marking}>"""
            + Svg(icon, "mud-icon-default mud-svg-icon mud-icon-size-medium mud-nav-link-icon mud-nav-link-icon-default")
            + $"""<div class="mud-nav-link-text">{Encode(title)}</div></a>""");
    }

    /// <summary>The inside of an app bar icon button (MudIconButton with Color.Inherit).</summary>
    public static MarkupString IconButtonLabel(string icon) =>
        new($"""<span class="mud-icon-button-label">{Svg(icon, "mud-svg-icon mud-icon-size-medium")}</span>""");

    public static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
