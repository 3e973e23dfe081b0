namespace Portal.Cli.Output;

/// <summary>Plain-text columns, padded to the widest cell; what <c>--output table</c> prints.</summary>
public static class Table
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows, string empty)
    {
        var cells = rows.Select(r => r.Select(c => c ?? "-").ToList()).ToList();
        if (cells.Count == 0)
        {
            output.WriteLine(empty);
            return;
        }

        var widths = headers.Select((h, i) => Math.Max(h.Length, cells.Max(r => r[i].Length))).ToList();
        output.WriteLine(Line(headers, widths));
        foreach (var row in cells)
        {
            output.WriteLine(Line(row, widths));
        }
    }

    /// <summary>"Name: value" lines with the names aligned.</summary>
    public static void WriteFields(TextWriter output, IEnumerable<(string Name, string? Value)> fields)
    {
        var list = fields.ToList();
        var width = list.Max(f => f.Name.Length) + 1;
        foreach (var (name, value) in list)
        {
            output.WriteLine($"{(name + ":").PadRight(width)} {value ?? "-"}");
        }
    }

    private static string Line(IEnumerable<string> cells, IReadOnlyList<int> widths) =>
        string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
}
