using Portal.Simulator.Configuration;

namespace Portal.Simulator.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void Parse_FlagsAfterAProfile_OverrideTheProfile()
    {
        var options = SimulatorCommandLine.Parse(
            ["--profile", "serverless-8b", "--time-scale", "0.01", "--cold-start-seconds=5", "--port", "8001", "--scale-to-zero", "false"]);

        Assert.Equal(0.01, options.TimeScale);
        Assert.Equal(5, options.ColdStartSeconds);
        Assert.Equal(8001, options.Port);
        Assert.False(options.ScaleToZero);
        Assert.Equal(300, options.IdleTimeoutSeconds);
    }

    [Theory]
    [InlineData(SimulatorProfiles.Dedicated8BH100, false, 0)]
    [InlineData(SimulatorProfiles.Serverless8B, true, 15)]
    [InlineData(SimulatorProfiles.Dedicated70BH200, false, 0)]
    [InlineData(SimulatorProfiles.Serverless70B, true, 60)]
    public void Load_ShippedProfile_HasItsScaleToZeroBehaviour(string name, bool scaleToZero, double coldStart)
    {
        var options = SimulatorProfiles.Load(name);

        Assert.Equal(scaleToZero, options.ScaleToZero);
        if (scaleToZero)
        {
            Assert.Equal(coldStart, options.ColdStartSeconds);
            Assert.True(options.NoisyNeighborMeanIntervalSeconds > 0);
        }
    }

    [Fact]
    public void ToArguments_ParsedBack_GivesTheSameOptions()
    {
        var options = SimulatorProfiles.Load(SimulatorProfiles.Serverless70B) with { TimeScale = 0.125, Seed = 9, ErrorRate503 = 0.01 };

        Assert.Equal(options, SimulatorCommandLine.Parse(SimulatorCommandLine.ToArguments(options)));
    }

    [Theory]
    [InlineData("--no-such-flag", "1")]
    [InlineData("--time-scale", "fast")]
    [InlineData("--time-scale", "0")]
    [InlineData("--error-rate500", "1.5")]
    [InlineData("--profile", "no-such-profile")]
    public void Parse_BadFlag_ThrowsNamingIt(string flag, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => SimulatorCommandLine.Parse([flag, value]));

        Assert.Contains(flag == "--profile" ? value : flag[2..], error.Message);
    }

    [Fact]
    public void ProfileFile_WithAnUnknownKnob_IsRefused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"profile-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\"timeScale\": 0.5, \"coldStartSecs\": 3}");
        try
        {
            Assert.Throws<ArgumentException>(() => SimulatorCommandLine.Parse(["--profile", path]));
            File.WriteAllText(path, "{\"timeScale\": 0.5}");
            Assert.Equal(0.5, SimulatorCommandLine.Parse(["--profile", path]).TimeScale);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
