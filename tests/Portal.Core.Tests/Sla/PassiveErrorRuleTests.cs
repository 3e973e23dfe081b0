using Portal.Core.Sla;

namespace Portal.Core.Tests.Sla;

public sealed class PassiveErrorRuleTests
{
    private const int N = PassiveErrorRule.DefaultMinRequests;
    private const int Percent = PassiveErrorRule.DefaultFailurePercent;

    private static ProductionRequests Ok(int count = 1) => new(200, null, true, count);

    private static ProductionRequests Upstream503(int count = 1) => new(503, null, true, count);

    private static PassiveVerdict Judge(params ProductionRequests[] requests) => PassiveErrorRule.Judge(requests, N, Percent);

    [Fact]
    public void Defaults_AreThreeRequestsAndHalfOfThem()
    {
        Assert.Equal(3, N);
        Assert.Equal(50, Percent);
    }

    [Fact]
    public void FewerRequestsThanTheMinimum_AllFailed_DoNotFailTheWindow()
    {
        var verdict = Judge(Upstream503(N - 1));

        Assert.Equal(new PassiveVerdict(N - 1, N - 1, false, null), verdict);
    }

    [Fact]
    public void TheMinimumOfRequests_AllFailed_FailsTheWindow_AndSaysWhatWasSeen()
    {
        var verdict = Judge(Upstream503(N));

        Assert.True(verdict.Fails);
        Assert.Equal("3 of 3 production requests failed upstream (503)", verdict.Detail);
    }

    [Fact]
    public void ExactlyTheShare_Fails_OneFewer_DoesNot()
    {
        // 50 % of 6 is 3: three failures fail the window, two do not.
        Assert.True(Judge(Upstream503(3), Ok(3)).Fails);
        Assert.False(Judge(Upstream503(2), Ok(4)).Fails);

        // At 34 % of 3, one failure is 33.3 %, below; at 33 % it is at least the share.
        Assert.False(PassiveErrorRule.Judge([Upstream503(), Ok(2)], 3, 34).Fails);
        Assert.True(PassiveErrorRule.Judge([Upstream503(), Ok(2)], 3, 33).Fails);
    }

    [Fact]
    public void FiveOfSix_NamesEachFailureMostFrequentFirst()
    {
        var verdict = Judge(Upstream503(3), new ProductionRequests(502, "upstream_unavailable", true), new ProductionRequests(504, "upstream_timeout", true), Ok());

        Assert.Equal(new PassiveVerdict(6, 5, true, "5 of 6 production requests failed upstream (503, 502 upstream_unavailable, 504 upstream_timeout)"), verdict);
    }

    [Theory]
    [InlineData(400, null)] // the upstream refused the caller's body
    [InlineData(404, null)]
    [InlineData(422, "upstream_error")] // the upstream's own error event inside a stream, with a 4xx status
    [InlineData(429, null)] // the provider's rate limit is the caller's volume, not an outage
    [InlineData(429, "upstream_queue_full")]
    public void ClientErrorsTheUpstreamAnswered_CountAsAnswered_NeverAsFailures(int status, string? code)
    {
        var request = new ProductionRequests(status, code, true, 10);

        Assert.Equal(UpstreamOutcome.Answered, PassiveErrorRule.Classify(request));
        Assert.Equal(new PassiveVerdict(10, 0, false, null), Judge(request));
    }

    [Theory]
    [InlineData(429, "rate_limit_exceeded", true)] // the key's own limits
    [InlineData(429, "queue_full", true)] // every replica at its queue bound
    [InlineData(503, "no_capacity", false)] // nowhere allowed to route
    [InlineData(404, "model_not_found", false)]
    [InlineData(400, "invalid_json", false)]
    [InlineData(413, "request_too_large", false)]
    [InlineData(502, "upstream_refused", true)] // the outbound guard refused the address: never sent
    [InlineData(200, "client_closed", true)] // the caller left: no verdict on the upstream
    [InlineData(503, null, false)] // never attempted, whatever the status
    public void GatewayRefusals_AreNotCounted_EvenWhenTheyAre5xx(int status, string? code, bool attempted)
    {
        var request = new ProductionRequests(status, code, attempted, 10);

        Assert.Equal(UpstreamOutcome.NotCounted, PassiveErrorRule.Classify(request));
        Assert.Equal(PassiveVerdict.None, Judge(request));
    }

    [Fact]
    public void GatewayRefusals_DoNotDiluteTheShare()
    {
        // Three upstream failures among three that reached it; the many refusals beside them change nothing.
        var verdict = Judge(Upstream503(3), new ProductionRequests(429, "queue_full", true, 50), new ProductionRequests(400, "invalid_json", false, 50));

        Assert.Equal(3, verdict.Reached);
        Assert.True(verdict.Fails);
    }

    [Theory]
    [InlineData(500, null)]
    [InlineData(503, null)]
    [InlineData(502, "upstream_unavailable")] // connection refused, or every attempt answered 5xx
    [InlineData(504, "upstream_timeout")]
    [InlineData(502, "upstream_stream_error")]
    [InlineData(500, "upstream_error")]
    public void UpstreamFailures_AreFailures(int status, string? code) =>
        Assert.Equal(UpstreamOutcome.Failed, PassiveErrorRule.Classify(new ProductionRequests(status, code, true)));

    [Fact]
    public void NoTraffic_SaysNothing() => Assert.Equal(PassiveVerdict.None, Judge());

    [Theory]
    [InlineData(0, 50)]
    [InlineData(3, 0)]
    [InlineData(3, 101)]
    public void Settings_OutOfRange_AreRefused(int minRequests, int percent) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PassiveErrorRule.Judge([], minRequests, percent));

    [Fact]
    public void Window_FailsOnTheProbe_OrOnPassiveEvidence_AndSaysWhich()
    {
        var failing = Judge(Upstream503(4));

        Assert.Equal((true, (string?)null), PassiveErrorRule.Window(true, null, PassiveVerdict.None));
        Assert.Equal((false, "4 of 4 production requests failed upstream (503)"), PassiveErrorRule.Window(true, null, failing));
        Assert.Equal((false, "connection refused"), PassiveErrorRule.Window(false, "connection refused", PassiveVerdict.None));
        Assert.Equal((false, "connection refused; 4 of 4 production requests failed upstream (503)"),
            PassiveErrorRule.Window(false, "connection refused", failing));
    }

    [Fact]
    public void Range_IsTheIntervalBeforeTheTick()
    {
        var now = new DateTimeOffset(2026, 12, 1, 10, 0, 30, TimeSpan.Zero);

        Assert.Equal((now.AddSeconds(-30), now), PassiveErrorRule.Range(now, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void TwoWindowsFailedByPassiveEvidence_OpenAnIncidentThatSaysWhatWasSeen_AndAQuietWindowResolvesIt()
    {
        var target = Guid.NewGuid();
        var interval = TimeSpan.FromSeconds(30);
        var t0 = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        var saved = new List<TargetProbeState>();
        var plans = new List<ProbeTickPlan>();
        foreach (var (i, passive) in new[] { (0, Judge(Upstream503(5), Ok())), (1, Judge(Upstream503(6))), (2, PassiveVerdict.None) })
        {
            var (ok, detail) = PassiveErrorRule.Window(probeOk: true, null, passive);
            var plan = ProbeTick.Decide(interval, saved, [new ProbeTickSubject(target, "serverless target vendor", ok, detail)], [], t0 + interval * i);
            saved = plan.Counted.Select(c => c.State).ToList();
            plans.Add(plan);
        }

        Assert.False(plans[0].Counted.Single().Ok);
        Assert.Equal("5 of 6 production requests failed upstream (503)", plans[0].Counted.Single().FailureDetail);
        var opened = Assert.Single(plans[1].Opened);
        Assert.Equal(t0, opened.StartedAt);
        Assert.Equal("Opened after 2 consecutive failed probes: 6 of 6 production requests failed upstream (503)", opened.OpenedEvent);
        Assert.Single(plans[2].Resolved);
    }
}
