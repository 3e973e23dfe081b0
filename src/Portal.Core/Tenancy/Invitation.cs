using System.Security.Cryptography;
using System.Text;

namespace Portal.Core.Tenancy;

public enum InvitationState
{
    Pending,
    Accepted,
    Revoked,
    Expired,
}

/// <summary>
/// An invitation to a tenant: a random token sent by email, of which only the SHA-256 hash is stored. It can be used
/// once, until it expires (7 days) or is revoked; only then is the person's account attached to the tenant.
/// </summary>
public static class Invitation
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>32 random bytes, base64url without padding: 43 characters, 256 bits.</summary>
    public const int TokenLength = 43;

    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>False for anything that cannot be a token, so a made-up link is refused without a look-up.</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: TokenLength } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    /// <summary>Accepted and revoked are final; a pending invitation past its expiry is expired.</summary>
    public static InvitationState StateOf(DateTimeOffset expiresAt, DateTimeOffset? acceptedAt, DateTimeOffset? revokedAt, DateTimeOffset now) =>
        acceptedAt is not null ? InvitationState.Accepted
        : revokedAt is not null ? InvitationState.Revoked
        : now >= expiresAt ? InvitationState.Expired
        : InvitationState.Pending;

    /// <summary>The form an email is compared in: an invitation for Ada@Example.com is one for ada@example.com.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToUpperInvariant();

    /// <summary>What the acceptance page says for a link it cannot use; the same words however it failed but expiry.</summary>
    public static string Refusal(InvitationState? state) => state switch
    {
        InvitationState.Expired => "This invitation has expired. Ask the tenant's admin for a new one.",
        InvitationState.Pending => "",
        _ => "This invitation link is not valid: it was used already, revoked, or mistyped. Ask the tenant's admin for a new one.",
    };
}
