using Portal.Core.Tenancy;

namespace Portal.Data.Entities;

/// <summary>
/// An automation client (OAuth2 client credentials) acting inside one tenant with one role.
/// The OpenIddict application holds the secret; this row holds what it may do.
/// </summary>
public sealed class ApiClient
{
    public required string ClientId { get; set; }
    public Guid TenantId { get; set; }
    public Tenant? Tenant { get; set; }
    public TenantRole Role { get; set; }
    public required string DisplayName { get; set; }
    public bool Disabled { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
