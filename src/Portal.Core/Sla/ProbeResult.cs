namespace Portal.Core.Sla;

/// <summary>The outcome of one availability probe of a target.</summary>
public sealed record ProbeResult(Guid TargetId, DateTimeOffset Time, bool Success);
