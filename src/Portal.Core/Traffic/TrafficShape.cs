namespace Portal.Core.Traffic;

/// <summary>
/// The shape of synthetic chat traffic for one endpoint: a few concurrent conversations sending
/// <see cref="RequestsPerSecond"/> between them in busy stretches, separated by idle gaps.
/// </summary>
public sealed record TrafficShape(
    int Conversations,
    double RequestsPerSecond,
    double BusySeconds,
    double IdleGapSeconds,
    double StreamingShare)
{
    /// <summary>Turns of a conversation, counting the system prompt, past which the next request starts a new one.</summary>
    public const int MaxMessages = 8;
}
