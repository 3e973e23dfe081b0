using Portal.Core.Sla;
using static Portal.Core.Tests.Sla.SlaTestData;

namespace Portal.Core.Tests.Sla;

public sealed class IncidentTrackerTests
{
    private readonly IncidentTracker _tracker = new(TimeSpan.FromSeconds(30));

    [Fact]
    public void TheSecondConsecutiveFailure_OpensAnIncidentFromTheFirst()
    {
        Assert.Equal(ProbeChange.None, _tracker.Observe(Fail(Utc(4, 1, 10, 0))).Change);

        var opened = _tracker.Observe(Fail(Utc(4, 1, 10, 0, 30)));

        Assert.Equal(ProbeChange.Opened, opened.Change);
        Assert.Equal(new Incident(Target, Utc(4, 1, 10, 0), null), opened.Incident);
        Assert.Single(_tracker.OpenIncidents);
    }

    [Fact]
    public void TheNextSuccess_ClosesIt()
    {
        _tracker.Observe(Fail(Utc(4, 1, 10, 0)));
        _tracker.Observe(Fail(Utc(4, 1, 10, 0, 30)));
        Assert.Equal(ProbeChange.None, _tracker.Observe(Fail(Utc(4, 1, 10, 1))).Change);

        var closed = _tracker.Observe(Ok(Utc(4, 1, 10, 1, 30)));

        Assert.Equal(ProbeChange.Closed, closed.Change);
        Assert.Equal(new Incident(Target, Utc(4, 1, 10, 0), Utc(4, 1, 10, 1, 30)), closed.Incident);
        Assert.Empty(_tracker.OpenIncidents);
    }

    [Fact]
    public void ASingleFailure_OpensNothing()
    {
        _tracker.Observe(Fail(Utc(4, 1, 10, 0)));

        Assert.Equal(new ProbeObservation(ProbeChange.None, null), _tracker.Observe(Ok(Utc(4, 1, 10, 0, 30))));
        Assert.Equal(ProbeChange.None, _tracker.Observe(Fail(Utc(4, 1, 10, 1))).Change);
    }

    [Fact]
    public void TheSameProbeWindowFedTwice_IsCountedOnce()
    {
        var first = Fail(Utc(4, 1, 10, 0));
        _tracker.Observe(first);

        Assert.Equal(ProbeChange.Duplicate, _tracker.Observe(first).Change);
        Assert.Equal(ProbeChange.Duplicate, _tracker.Observe(Fail(Utc(4, 1, 10, 0, 29))).Change);
        Assert.Equal(1, Assert.Single(_tracker.States).ConsecutiveFailures);
        Assert.Equal(ProbeChange.Opened, _tracker.Observe(Fail(Utc(4, 1, 10, 0, 30))).Change);
    }

    [Fact]
    public void AnOlderProbeWindow_IsIgnored()
    {
        _tracker.Observe(Ok(Utc(4, 1, 10, 5)));

        Assert.Equal(ProbeChange.Duplicate, _tracker.Observe(Fail(Utc(4, 1, 10, 0))).Change);
    }

    [Fact]
    public void Targets_AreTrackedIndependently()
    {
        var other = Guid.NewGuid();
        _tracker.Observe(Fail(Utc(4, 1, 10, 0)));

        Assert.Equal(ProbeChange.None, _tracker.Observe(new ProbeResult(other, Utc(4, 1, 10, 0, 30), false)).Change);
        Assert.Equal(ProbeChange.Opened, _tracker.Observe(Fail(Utc(4, 1, 10, 0, 30))).Change);
    }

    [Fact]
    public void SavedState_ResumesAnOpenIncidentAndKeepsIgnoringSeenWindows()
    {
        _tracker.Observe(Fail(Utc(4, 1, 10, 0)));
        _tracker.Observe(Fail(Utc(4, 1, 10, 0, 30)));

        var resumed = new IncidentTracker(TimeSpan.FromSeconds(30), _tracker.States.ToList());

        Assert.Equal(ProbeChange.Duplicate, resumed.Observe(Fail(Utc(4, 1, 10, 0, 30))).Change);
        var closed = resumed.Observe(Ok(Utc(4, 1, 10, 2)));
        Assert.Equal(ProbeChange.Closed, closed.Change);
        Assert.Equal(Utc(4, 1, 10, 0), closed.Incident!.Start);
    }

    [Fact]
    public void InconsistentSavedState_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new IncidentTracker(TimeSpan.FromSeconds(30), [new TargetProbeState(Target, 1, 2, null)]));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(29.999, 0)]
    [InlineData(30, 1)]
    [InlineData(-0.001, -1)]
    [InlineData(-30, -1)]
    [InlineData(-30.001, -2)]
    public void ProbeWindowId_IsTheFloorOfTimeOverInterval(double secondsSinceEpoch, long id)
    {
        var time = DateTimeOffset.UnixEpoch + TimeSpan.FromSeconds(secondsSinceEpoch);

        Assert.Equal(id, ProbeWindow.Id(time, TimeSpan.FromSeconds(30)));
        Assert.True(ProbeWindow.Start(id, TimeSpan.FromSeconds(30)) <= time);
    }
}
