namespace Portal.Core.Logs;

/// <summary>One line of a replica's output and the time it was written, when the line or one before it says so.</summary>
public sealed record LogLine(DateTimeOffset? Time, string Text);
