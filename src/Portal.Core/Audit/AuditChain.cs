namespace Portal.Core.Audit;

/// <summary>
/// Which chain a record belongs to: one per tenant, one for the platform's own records, and the frozen legacy segment
/// (the single global chain every record joined before chains were kept per tenant).
/// </summary>
/// <remarks>
/// A chain's name is not hashed: it follows from the record's tenant (<see cref="Of"/>). Every per-tenant and platform
/// chain starts from the legacy segment's head — its first record is numbered one past it and links to its hash — so
/// within one tenant's records (legacy and chained) sequence numbers stay unique and ascending.
/// </remarks>
public static class AuditChain
{
    /// <summary>The platform's own records (no tenant).</summary>
    public const string Platform = "platform";

    /// <summary>The single global chain of records sealed before chains were kept per tenant; never appended to.</summary>
    public const string Legacy = "legacy";

    /// <summary>The longest chain name: a tenant's id in its 36-character form.</summary>
    public const int MaxLength = 36;

    /// <summary>The chain a new record of <paramref name="tenantId"/> joins: the tenant's id (<c>D</c> form) or <see cref="Platform"/>.</summary>
    public static string Of(Guid? tenantId) => tenantId?.ToString("D") ?? Platform;

    /// <summary>The tenant whose chain <paramref name="chain"/> is; null for the platform and legacy chains.</summary>
    public static Guid? TenantOf(string chain) => Guid.TryParseExact(chain, "D", out var tenant) ? tenant : null;

    /// <summary>True for a name <see cref="Of"/> can produce.</summary>
    public static bool IsChainName(string? chain) => chain == Platform || (chain is { Length: MaxLength } && TenantOf(chain) is not null
        && chain == chain.ToLowerInvariant());
}
