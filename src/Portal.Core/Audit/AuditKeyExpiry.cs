namespace Portal.Core.Audit;

/// <summary>When the current audit signing key's end is near enough to warn that the next key must be configured.</summary>
public static class AuditKeyExpiry
{
    /// <summary>
    /// Whole days left (rounded up, 0 once ended) when <paramref name="notAfter"/> is within
    /// <paramref name="warningDays"/> of <paramref name="now"/>; null when there is no end or it is further away.
    /// </summary>
    public static int? DaysLeftToWarn(DateTimeOffset? notAfter, DateTimeOffset now, int warningDays)
    {
        if (notAfter is not { } end || end - now > TimeSpan.FromDays(Math.Max(0, warningDays)))
        {
            return null;
        }

        return end <= now ? 0 : (int)Math.Ceiling((end - now).TotalDays);
    }
}
