using Portal.Core.Deployments;

namespace Portal.Data.Entities;

/// <summary>
/// A tenant's credential for private weight sources: one per kind. The secret values are encrypted with Data Protection
/// and shown only in the answer that stored them.
/// </summary>
public sealed class WeightCredential : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public WeightCredentialKind Kind { get; set; }

    /// <summary>The values as JSON, encrypted with Data Protection.</summary>
    public required string ProtectedValue { get; set; }

    /// <summary>What identifies it to a person without revealing it: the access key id, or the token's last characters.</summary>
    public required string Hint { get; set; }

    /// <summary>Object-store endpoint (not secret); null = AWS S3.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Object-store region (not secret).</summary>
    public string? Region { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset? RotatedAt { get; set; }
    public string? RotatedBy { get; set; }
}
