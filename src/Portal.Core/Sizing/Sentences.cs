namespace Portal.Core.Sizing;

internal static class Sentences
{
    /// <summary>"1, 2 or 4".</summary>
    public static string JoinOr(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count switch
        {
            0 => "none",
            1 => list[0],
            _ => string.Join(", ", list.Take(list.Count - 1)) + " or " + list[^1],
        };
    }
}
