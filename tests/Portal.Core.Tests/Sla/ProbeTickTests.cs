using Portal.Core.Sla;

namespace Portal.Core.Tests.Sla;

public sealed class ProbeTickTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid ReplicaA = Guid.NewGuid();
    private static readonly Guid ReplicaB = Guid.NewGuid();
    private static readonly Guid Target = Guid.NewGuid();
    private static readonly ProbeTickTarget Dedicated = new(Target, "chat-small", [ReplicaA, ReplicaB]);

    private static ProbeTickSubject Replica(Guid id, bool ok, string name = "replica 1 of chat-small") =>
        new(id, name, ok, ok ? null : "connection refused");

    /// <summary>Runs ticks in order from <see cref="T0"/>, one interval apart, carrying the saved state along.</summary>
    private static List<ProbeTickPlan> Ticks(params (ProbeTickSubject[] Subjects, ProbeTickTarget[] Targets)[] ticks)
    {
        var saved = new List<TargetProbeState>();
        var plans = new List<ProbeTickPlan>();
        for (var i = 0; i < ticks.Length; i++)
        {
            var plan = ProbeTick.Decide(Interval, saved, ticks[i].Subjects, ticks[i].Targets, T0 + Interval * i);
            saved = saved.Where(s => !plan.Forgotten.Contains(s.TargetId) && plan.Counted.All(c => c.SubjectId != s.TargetId))
                .Concat(plan.Counted.Select(c => c.State)).ToList();
            plans.Add(plan);
        }

        return plans;
    }

    [Fact]
    public void ADedicatedTarget_IsUpWhileAnyReplicaAnswers()
    {
        var plan = Ticks(([Replica(ReplicaA, false), Replica(ReplicaB, true)], [Dedicated]))[0];

        Assert.True(plan.Counted.Single(c => c.SubjectId == Target).Ok);
        Assert.False(plan.Counted.Single(c => c.SubjectId == ReplicaA).Ok);
    }

    [Fact]
    public void ADedicatedTarget_WithNoReplicaAnswering_IsDown_AndSaysHowManyItHad()
    {
        var (ok, detail) = ProbeTick.Judge(Dedicated, [Replica(ReplicaA, false), Replica(ReplicaB, false)]);

        Assert.False(ok);
        Assert.Equal("None of its 2 replica(s) answered.", detail);
        Assert.Equal((false, "None of its 0 replica(s) answered."), ProbeTick.Judge(Dedicated, []));
    }

    [Fact]
    public void TwoFailedTicks_OpenOneIncidentPerFailingSubject_FromTheFirstFailure_NamingTheCause()
    {
        var down = (new[] { Replica(ReplicaA, false), Replica(ReplicaB, false) }, new[] { Dedicated });

        var plans = Ticks(down, down);

        Assert.Empty(plans[0].Opened);
        var opened = plans[1].Opened;
        Assert.Equal(new[] { ReplicaA, ReplicaB, Target }.Order(), opened.Select(o => o.SubjectId).Order());
        var target = opened.Single(o => o.SubjectId == Target);
        Assert.Equal(T0, target.StartedAt);
        Assert.Equal("Endpoint target chat-small is down", target.Title);
        Assert.Equal("Opened after 2 consecutive failed probes: None of its 2 replica(s) answered.", target.OpenedEvent);
        Assert.Equal("Opened after 2 consecutive failed probes: connection refused", opened.Single(o => o.SubjectId == ReplicaA).OpenedEvent);
    }

    [Fact]
    public void TheNextSuccess_ResolvesTheIncident()
    {
        var down = new[] { Replica(ReplicaA, false) };

        var plans = Ticks((down, []), (down, []), ([Replica(ReplicaA, true)], []));

        Assert.Equal(new IncidentsToResolve(ReplicaA, "Resolved: the next probe succeeded."), Assert.Single(plans[2].Resolved));
    }

    [Fact]
    public void TheSameWindowTwice_CountsOnce()
    {
        var subjects = new[] { Replica(ReplicaA, false) };
        var first = ProbeTick.Decide(Interval, [], subjects, [], T0);

        var again = ProbeTick.Decide(Interval, first.Counted.Select(c => c.State), subjects, [], T0.AddSeconds(5));

        Assert.Single(first.Counted);
        Assert.Empty(again.Counted);
        Assert.Empty(again.Opened);
    }

    [Fact]
    public void ASubjectNoLongerInService_IsForgotten_AndItsIncidentsEnd_WithoutCountingAsDown()
    {
        var down = new[] { Replica(ReplicaA, false) };

        var plans = Ticks((down, []), (down, []), ([], []));

        Assert.Equal([ReplicaA], plans[2].Forgotten);
        Assert.Empty(plans[2].Counted);
        Assert.Equal("Resolved: no longer in service (stopped, replaced or removed).", Assert.Single(plans[2].Resolved).ResolvedEvent);
    }

    [Fact]
    public void AnUpSubject_CarriesNoFailureDetail()
    {
        var plan = Ticks(([new ProbeTickSubject(ReplicaA, "replica", true, "stale text")], []))[0];

        Assert.Null(Assert.Single(plan.Counted).FailureDetail);
    }

    [Fact]
    public void Title_CapitalisesTheSubjectsName()
    {
        Assert.Equal("Replica 2 of chat-small is down", ProbeTick.Title("replica 2 of chat-small"));
    }
}
