namespace Portal.Core.Tenancy;

/// <summary>
/// When a navigation entry is the current one: the rule ASP.NET Core's NavLink applies (an exact entry matches its own
/// path only; any other matches its path and every path below it), kept here because the navigation renders its links
/// as plain markup rather than one component per link.
/// </summary>
public static class NavigationMatch
{
    /// <param name="currentPath">The address bar's path relative to the portal's base, with or without a leading slash, query or fragment.</param>
    /// <param name="href">The entry's link, such as "/" or "/migration".</param>
    /// <param name="exact">True for an entry that matches only its own path (the Overview at "/").</param>
    public static bool IsActive(string currentPath, string href, bool exact)
    {
        var path = Normalize(currentPath);
        var target = Normalize(href);
        if (string.Equals(path, target, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return !exact
            && path.Length > target.Length
            && path.StartsWith(target, StringComparison.OrdinalIgnoreCase)
            && (target.EndsWith('/') || path[target.Length] == '/');
    }

    private static string Normalize(string path)
    {
        var end = path.IndexOfAny(['?', '#']);
        var trimmed = (end >= 0 ? path[..end] : path).Trim('/');
        return "/" + trimmed;
    }
}
