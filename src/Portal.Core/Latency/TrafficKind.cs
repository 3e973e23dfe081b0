namespace Portal.Core.Latency;

/// <summary>Why a request reached a target. Only <see cref="Production"/> traffic feeds migration signals.</summary>
public enum TrafficKind
{
    /// <summary>A program's request, answered to the program.</summary>
    Production,

    /// <summary>A copy sent to the shadow target; its response is discarded.</summary>
    Shadow,

    /// <summary>A health or SLA probe sent by the platform.</summary>
    Probe,
}
