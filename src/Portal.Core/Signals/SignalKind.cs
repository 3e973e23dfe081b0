namespace Portal.Core.Signals;

/// <summary>The four migration signals of DESIGN.md, in its order.</summary>
public enum SignalKind
{
    /// <summary>p99 TTFT ÷ p50 TTFT above 3, with at least 100 requests.</summary>
    TailDivergence,

    /// <summary>Any cold-start event.</summary>
    ColdStarts,

    /// <summary>Projected serverless monthly cost at or above the dedicated monthly cost.</summary>
    Economics,

    /// <summary>A requirement only dedicated can meet.</summary>
    Requirements,
}
