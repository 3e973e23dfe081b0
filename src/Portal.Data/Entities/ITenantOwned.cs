namespace Portal.Data.Entities;

/// <summary>
/// A row that belongs to one tenant. The portal's change runner loads such rows only through a filter on
/// <see cref="TenantId"/>, so a change can never reach another tenant's row.
/// </summary>
public interface ITenantOwned
{
    Guid TenantId { get; }
}
