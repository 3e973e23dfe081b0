namespace Portal.Core.Sla;

/// <summary>
/// A period a target was down: from the first of at least two consecutive failed probes to the next successful one.
/// </summary>
/// <param name="End">The successful probe that closed it; null while still open.</param>
public sealed record Incident(Guid TargetId, DateTimeOffset Start, DateTimeOffset? End)
{
    public bool IsOpen => End is null;
}
