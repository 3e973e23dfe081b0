namespace Portal.Simulator.Tests;

/// <summary>Tests that measure wall-clock latency run alone, so the other tests' load on two cores does not skew them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Timing";
}
