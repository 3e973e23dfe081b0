namespace Portal.Data.Entities;

/// <summary>
/// The one-time token that creates the first platform operator. Only its SHA-256 hash is stored; using it deletes the
/// row, so of two concurrent uses the database lets exactly one delete it.
/// </summary>
public sealed class PlatformSetupToken
{
    public required string TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
