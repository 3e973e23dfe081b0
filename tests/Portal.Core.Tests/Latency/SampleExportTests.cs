using Portal.Core.Latency;

namespace Portal.Core.Tests.Latency;

public sealed class SampleExportTests
{
    private static readonly DateTimeOffset _noon = Samples.Noon;

    [Fact]
    public void Resolve_DefaultsToTheDayBeforeNow()
    {
        var window = SampleExportWindow.Resolve(null, null, _noon);

        Assert.Null(window.Field);
        Assert.Equal((_noon.AddDays(-1), _noon), (window.From, window.To));
    }

    [Fact]
    public void Resolve_AcceptsThirtyOneDays_AndRefusesMore_NamingTo()
    {
        Assert.Null(SampleExportWindow.Resolve(_noon.AddDays(-31), _noon, _noon).Field);

        var tooLong = SampleExportWindow.Resolve(_noon.AddDays(-31).AddSeconds(-1), _noon, _noon);

        Assert.Equal("to", tooLong.Field);
        Assert.Contains("31 days", tooLong.Error);
    }

    [Fact]
    public void Resolve_AtTheEdgesOfTime_NeverThrows()
    {
        Assert.Equal(DateTimeOffset.MinValue, SampleExportWindow.Resolve(null, DateTimeOffset.MinValue.AddHours(1), _noon).From);
        Assert.Equal("from", SampleExportWindow.Resolve(null, DateTimeOffset.MinValue, _noon).Field);
        Assert.Equal("to", SampleExportWindow.Resolve(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, _noon).Field);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    public void Resolve_RefusesAnEmptyOrBackwardWindow_NamingFrom(int minutes)
    {
        Assert.Equal("from", SampleExportWindow.Resolve(_noon, _noon.AddMinutes(minutes), _noon).Field);
    }

    [Fact]
    public void CsvRow_UsesInvariantNumbers_EmptyForUnmeasured_AndNeutralisesFormulas()
    {
        var endpoint = Guid.Parse("11111111-2222-3333-4444-555555555555");
        var row = new SampleExportRow(_noon, endpoint, "=cmd", "chat", null, "serverless", "us-east", null, "production", 200, null, true,
            123.25, null, null, null, 456.5, 10, 4, false, false, 1);

        var line = SampleCsvWriter.Row(row);

        Assert.EndsWith("\r\n", line);
        var fields = line.TrimEnd().Split(',');
        Assert.Equal(SampleCsvWriter.Columns.Count, fields.Length);
        Assert.Equal("'=cmd", fields[2]);
        Assert.Equal("", fields[4]);
        Assert.Equal("123.25", fields[12]);
        Assert.Equal("", fields[13]);
        Assert.Equal("456.5", fields[16]);
        Assert.Equal("true", fields[11]);
        Assert.Equal(_noon, DateTimeOffset.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void CsvRow_QuotesCommasAndQuotes()
    {
        var row = new SampleExportRow(_noon, null, "a,\"b\"", "chat", null, null, null, null, "production", 500, null, false,
            null, null, null, null, 1, null, null, false, false, 1);

        Assert.Contains(",\"a,\"\"b\"\"\",", SampleCsvWriter.Row(row));
    }
}
