namespace Portal.Core.Latency;

/// <summary>One cold-start event found by <see cref="ColdStartRule.FindEvents"/>.</summary>
/// <param name="IdleBefore">Time since the previous request to the target; null when it is the first one seen.</param>
public sealed record ColdStartEvent(
    DateTimeOffset Time,
    Guid EndpointId,
    Guid TargetId,
    double TtftMs,
    bool FollowedIdleGap,
    TimeSpan? IdleBefore);
