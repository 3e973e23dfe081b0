using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Core.Sla;

/// <summary>
/// The signature on an alert webhook: header <c>Portal-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>, where v1 is
/// HMAC-SHA256 with the webhook's secret over <c>"&lt;t&gt;.&lt;body&gt;"</c>. Signing the time with the body lets a
/// receiver refuse a replayed delivery.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Portal-Signature";

    public static string Sign(string secret, DateTimeOffset timestamp, string body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(body);
        var unix = timestamp.ToUnixTimeSeconds();
        return $"t={unix.ToString(CultureInfo.InvariantCulture)},v1={Mac(secret, unix, body)}";
    }

    /// <summary>
    /// True when <paramref name="header"/> carries a v1 signature of <paramref name="body"/> under
    /// <paramref name="secret"/> and its time is within <paramref name="tolerance"/> of <paramref name="now"/>.
    /// </summary>
    public static bool Verify(string secret, string? header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(body);
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        long? unix = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal) && long.TryParse(part[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                unix = t;
            }
            else if (part.StartsWith("v1=", StringComparison.Ordinal))
            {
                signatures.Add(part[3..]);
            }
        }

        if (unix is not { } time || Math.Abs(now.ToUnixTimeSeconds() - time) > tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Mac(secret, time, body));
        return signatures.Any(signature => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)));
    }

    private static string Mac(string secret, long unix, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{unix.ToString(CultureInfo.InvariantCulture)}.{body}")));
}
