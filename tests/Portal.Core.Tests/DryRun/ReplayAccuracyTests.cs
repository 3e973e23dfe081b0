using Portal.Core.DryRun;

namespace Portal.Core.Tests.DryRun;

public class ReplayAccuracyTests
{
    [Fact]
    public void MeasuredPoints_RiseInCompression()
    {
        var points = ReplayAccuracy.Measured;
        Assert.Equal(1, points[0].Compression);
        Assert.All(points.Zip(points.Skip(1)), pair => Assert.True(pair.Second.Compression > pair.First.Compression));
    }

    [Theory]
    [InlineData(10, "at ×10 differed from")]
    [InlineData(7, "at up to ×10 differed from")]
    [InlineData(1, "at ×1 differed from")]
    public void Statement_QuotesTheMeasuredPointAtOrAboveTheCompression(double compression, string expected)
    {
        var point = ReplayAccuracy.Measured.First(p => p.Compression >= compression);

        var statement = ReplayAccuracy.Statement(compression);

        Assert.Contains(expected, statement);
        Assert.Contains($"{point.LargestError * 100:0}%", statement);
    }

    [Fact]
    public void Statement_AboveTheLastMeasuredPoint_SaysItWasNotMeasured()
    {
        var top = ReplayAccuracy.Measured[^1];

        var statement = ReplayAccuracy.Statement(top.Compression * 10);

        Assert.Contains($"measured up to ×{top.Compression:0.##}", statement);
        Assert.Contains("the error grows with the compression", statement);
        Assert.False(ReplayAccuracy.Measures(top.Compression + 1));
        Assert.True(ReplayAccuracy.Measures(top.Compression));
    }

    [Fact]
    public void NoticeFor_SaysItIsASimulationAndHowCloseReplaysCame()
    {
        var notice = DryRunReport.NoticeFor(10);

        Assert.StartsWith(DryRunReport.SimulationNotice, notice);
        Assert.EndsWith(ReplayAccuracy.Statement(10), notice);
    }
}
