using System.Security.Cryptography;
using System.Text;

namespace Portal.Core.Tenancy;

/// <summary>A freshly made setup token: the plaintext goes into the one log line; only <see cref="Hash"/> is stored.</summary>
public sealed record NewSetupToken(string Plaintext, string Hash)
{
    // The plaintext must not end up in a log line through a record's generated ToString.
    public override string ToString() => "setup token";
}

public enum SetupTokenState
{
    /// <summary>Stored and not expired: it may create the first platform operator.</summary>
    Valid,

    /// <summary>Stored but past its expiry: a restart of the portal issues a new one.</summary>
    Expired,

    /// <summary>Never issued, already used, or replaced by a newer one.</summary>
    Unknown,
}

/// <summary>
/// The one-time token of the first start: while no platform operator exists the portal logs a link carrying it, and
/// whoever opens the link creates the first operator. 256 random bits, base64url (43 characters), valid for an hour.
/// </summary>
public static class SetupToken
{
    public const int Length = 43;

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public static NewSetupToken Generate()
    {
        var plaintext = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new NewSetupToken(plaintext, Hash(plaintext));
    }

    /// <summary>True when <paramref name="text"/> has the token's shape; anything else is refused without a look-up.</summary>
    public static bool IsWellFormed(string? text) =>
        text is { Length: Length } && text.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_');

    /// <summary>Lower-case hex SHA-256 of the token's UTF-8 bytes: what the database keeps and looks tokens up by.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <param name="storedExpiry">The expiry stored beside the token's hash; null when no such hash is stored.</param>
    public static SetupTokenState Check(DateTimeOffset? storedExpiry, DateTimeOffset now) => storedExpiry switch
    {
        null => SetupTokenState.Unknown,
        { } expiry when now < expiry => SetupTokenState.Valid,
        _ => SetupTokenState.Expired,
    };

    /// <summary>The link the log prints: <c>{listening address}/setup?token=…</c>.</summary>
    public static string Link(string baseAddress, string token) => $"{baseAddress.TrimEnd('/')}/setup?token={token}";
}
