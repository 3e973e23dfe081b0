using Portal.Runtimes.Local;

namespace Portal.Runtimes.Tests.Local;

/// <summary>A local replica's log file: read after rotation, followed through truncation, never outside the state directory.</summary>
public sealed class ReplicaLogFileTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("portal-logs-").FullName;
    private readonly Guid _deployment = Guid.NewGuid();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string LogPath(string replica = "r-0123456789")
    {
        var path = ReplicaLogFile.PathFor(_root, _deployment, replica)!;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    [Theory]
    [InlineData("../other/r-1")]
    [InlineData("r-1/../../x")]
    [InlineData("")]
    [InlineData("/etc/passwd")]
    public void PathFor_RefusesIdsTheRuntimeNeverMakes(string replica)
    {
        Assert.Null(ReplicaLogFile.PathFor(_root, _deployment, replica));
    }

    [Fact]
    public void Read_JoinsTheRotatedFileBeforeTheCurrentOne_AndStampsLines()
    {
        var path = LogPath();
        File.WriteAllLines(path + ".1", ["INFO 12-07 10:00:00 [a.py:1] older"]);
        File.WriteAllLines(path, ["INFO 12-07 10:00:05 [a.py:1] newer", "  continued"]);

        var lines = ReplicaLogFile.Read(path, null, new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero))!;

        Assert.Equal(["INFO 12-07 10:00:00 [a.py:1] older", "INFO 12-07 10:00:05 [a.py:1] newer", "  continued"], lines.Select(l => l.Text));
        Assert.Equal(lines[1].Time, lines[2].Time);
    }

    [Fact]
    public void Read_NoSuchLog_IsNull()
    {
        Assert.Null(ReplicaLogFile.Read(LogPath("r-missing"), null, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Follow_YieldsOnlyNewLines_AndStartsOverWhenTheFileIsTruncated()
    {
        var path = LogPath();
        await File.WriteAllTextAsync(path, "before the tail\n");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<string>();
        var follow = Task.Run(async () =>
        {
            await foreach (var line in ReplicaLogFile.FollowAsync(path, () => DateTimeOffset.UtcNow, stop.Token))
            {
                lock (seen)
                {
                    seen.Add(line.Text);
                }

                if (line.Text == "after truncation")
                {
                    return;
                }
            }
        });

        await WaitForAsync(() => true);
        await File.AppendAllTextAsync(path, "first new line\nhalf");
        await WaitForAsync(() => seen.Contains("first new line"));
        await File.AppendAllTextAsync(path, " a line\n");
        await WaitForAsync(() => seen.Contains("half a line"));
        await File.WriteAllTextAsync(path, "after truncation\n");
        await follow.WaitAsync(stop.Token);

        Assert.Equal(["first new line", "half a line", "after truncation"], seen);

        async Task WaitForAsync(Func<bool> condition)
        {
            await Task.Delay(300);
            for (var i = 0; i < 100; i++)
            {
                lock (seen)
                {
                    if (condition())
                    {
                        return;
                    }
                }

                await Task.Delay(100);
            }
        }
    }
}
