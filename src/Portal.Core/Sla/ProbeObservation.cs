namespace Portal.Core.Sla;

/// <summary>The change a probe result caused and the incident it concerns (open or just closed), if any.</summary>
public sealed record ProbeObservation(ProbeChange Change, Incident? Incident);
