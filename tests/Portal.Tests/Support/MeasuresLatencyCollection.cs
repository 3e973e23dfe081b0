namespace Portal.Tests.Support;

/// <summary>
/// Tests that judge measured latency (a p99 against a p50) run on their own, after the parallel classes: every class
/// in this assembly shares one process and two cores, and a stall caused by a neighbour would show up as their tail.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuresLatencyCollection
{
    public const string Name = "measures latency";
}
