namespace Portal.Core.Sla;

/// <summary>What feeding one probe result to an <see cref="IncidentTracker"/> changed.</summary>
public enum ProbeChange
{
    /// <summary>A result for a probe window already seen (or an earlier one) for that target: ignored.</summary>
    Duplicate,

    /// <summary>Counted; no incident opened or closed.</summary>
    None,

    /// <summary>The second consecutive failure opened an incident starting at the first failure.</summary>
    Opened,

    /// <summary>A success closed the open incident.</summary>
    Closed,
}
