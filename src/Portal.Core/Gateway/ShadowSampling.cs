namespace Portal.Core.Gateway;

/// <summary>Which requests are copied to a shadow target. The share is capped so a shadow never doubles the load.</summary>
public static class ShadowSampling
{
    public const double MaxShare = 0.5;

    /// <summary>The share actually applied: NaN and negatives become 0, anything above <see cref="MaxShare"/> becomes it.</summary>
    public static double EffectiveShare(double share) => double.IsNaN(share) ? 0 : Math.Clamp(share, 0, MaxShare);

    /// <param name="share">Configured share, 0–0.5.</param>
    /// <param name="uniform">A uniform random number in [0, 1).</param>
    public static bool ShouldCopy(double share, double uniform) => uniform < EffectiveShare(share);
}
