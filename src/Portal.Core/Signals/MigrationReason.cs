namespace Portal.Core.Signals;

/// <summary>The three grounds for moving to dedicated, as DESIGN.md groups the signals.</summary>
public enum MigrationReason
{
    /// <summary>Tail divergence or cold starts.</summary>
    ProductQuality,

    /// <summary>Serverless costs at least as much as dedicated.</summary>
    Economics,

    /// <summary>A requirement serverless cannot meet.</summary>
    HardRequirement,
}
