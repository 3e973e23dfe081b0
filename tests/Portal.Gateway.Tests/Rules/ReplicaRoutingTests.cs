using Portal.Core.Gateway;

namespace Portal.Gateway.Tests.Rules;

public sealed class ReplicaRoutingTests
{
    private static ReplicaCandidate Ready(int outstanding, string region = "us-west", bool burst = false, int bound = 4, bool excluded = false) =>
        new(region, burst, ReplicaRouteState.Ready, outstanding, bound, excluded);

    [Fact]
    public void Choose_LeastOutstandingBaseline()
    {
        var choice = ReplicaRouting.Choose([Ready(3), Ready(1), Ready(2)], null, 0);

        Assert.Equal(new ReplicaChoice(1, false, 2), choice);
    }

    [Theory]
    [InlineData(5, 4, 2, false)]
    [InlineData(6, 4, 2, true)]
    [InlineData(4, 4, 0, true)]
    [InlineData(3, 4, 0, false)]
    public void AtQueueBound_PastSaturationByTheQueueAllowance(int outstanding, int saturation, int maxQueued, bool full)
    {
        Assert.Equal(full, ReplicaRouting.AtQueueBound(outstanding, saturation, maxQueued));
    }

    [Fact]
    public void Choose_Ties_RotateWithTheTieBreaker()
    {
        ReplicaCandidate[] candidates = [Ready(0), Ready(0), Ready(0)];

        var chosen = Enumerable.Range(0, 6).Select(i => ReplicaRouting.Choose(candidates, null, (uint)i).Index).ToArray();

        Assert.Equal([0, 1, 2, 0, 1, 2], chosen);
    }

    [Fact]
    public void Choose_DrainingAndUnavailableAndExcluded_NeverChosen()
    {
        ReplicaCandidate[] candidates =
        [
            new("us-west", false, ReplicaRouteState.Draining, 0, 4),
            new("us-west", false, ReplicaRouteState.Unavailable, 0, 4),
            Ready(0, excluded: true),
            Ready(3),
        ];

        Assert.Equal(new ReplicaChoice(3, false, 0), ReplicaRouting.Choose(candidates, null, 0));
    }

    [Fact]
    public void Choose_BaselineWithRoom_BurstUnused()
    {
        var choice = ReplicaRouting.Choose([Ready(3, bound: 4), Ready(0, burst: true)], null, 0);

        Assert.Equal(0, choice.Index);
        Assert.False(choice.Burst);
    }

    [Fact]
    public void Choose_EveryBaselineSaturated_BurstUsed()
    {
        var choice = ReplicaRouting.Choose([Ready(4), Ready(5), Ready(2, burst: true), Ready(1, burst: true)], null, 0);

        Assert.Equal(new ReplicaChoice(3, true, 3), choice);
    }

    [Fact]
    public void Choose_BaselineAndBurstSaturated_ShortestQueueOverall()
    {
        Assert.Equal(2, ReplicaRouting.Choose([Ready(9), Ready(7), Ready(5, burst: true)], null, 0).Index);
        Assert.Equal(0, ReplicaRouting.Choose([Ready(5), Ready(5, burst: true)], null, 0).Index);
    }

    [Fact]
    public void Choose_OnlyBurstReplicas_BurstUsed() =>
        Assert.Equal(new ReplicaChoice(0, true, 0), ReplicaRouting.Choose([Ready(9, burst: true)], null, 0));

    [Fact]
    public void Choose_RegionLock_NeverOutsideEvenIfIdle()
    {
        var allowed = new HashSet<string> { "eu-west" };

        var choice = ReplicaRouting.Choose([Ready(0, "us-east"), Ready(50, "eu-west"), Ready(0, "us-east", burst: true)], allowed, 0);

        Assert.Equal(new ReplicaChoice(1, false, 0), choice);
    }

    [Fact]
    public void Choose_RegionLockAllowsNothingPresent_NoCapacity()
    {
        var choice = ReplicaRouting.Choose([Ready(0, "us-east")], new HashSet<string> { "eu-west" }, 0);

        Assert.False(choice.HasCapacity);
    }

    [Fact]
    public void Choose_NoCandidates_NoCapacity() => Assert.False(ReplicaRouting.Choose([], null, 7).HasCapacity);

    [Theory]
    [InlineData(null, "us-east", true)]
    [InlineData("eu-west", "eu-west", true)]
    [InlineData("eu-west", "us-east", false)]
    [InlineData("eu-west", null, false)]
    [InlineData("", "eu-west", false)]
    public void RegionLock_Allows(string? allowed, string? region, bool expected)
    {
        IReadOnlySet<string>? set = allowed is null ? null : allowed.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();

        Assert.Equal(expected, RegionLock.Allows(set, region));
    }
}
