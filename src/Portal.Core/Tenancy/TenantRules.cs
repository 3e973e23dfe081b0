using System.Text.RegularExpressions;

namespace Portal.Core.Tenancy;

/// <summary>Where a tenant is in its life: working, suspended by a platform operator, or deleted (offboarded).</summary>
public enum TenantState
{
    Active,
    Suspended,
    Deleted,
}

/// <summary>
/// What a platform operator may do to a tenant: names and slugs that are accepted, and which state changes are allowed.
/// Deleting is the last step of offboarding, so it comes only after a suspension.
/// </summary>
public static partial class TenantRules
{
    public const int MaxNameLength = 200;
    public const int MinSlugLength = 2;
    public const int MaxSlugLength = 63;

    public static TenantState StateOf(DateTimeOffset? suspendedAt, DateTimeOffset? deletedAt) =>
        deletedAt is not null ? TenantState.Deleted : suspendedAt is not null ? TenantState.Suspended : TenantState.Active;

    /// <returns>Null when the name is accepted; otherwise the reason.</returns>
    public static string? CheckName(string? name) => name?.Trim() switch
    {
        null or "" => "Give the tenant a name, e.g. the customer's organisation.",
        { Length: > MaxNameLength } => $"A tenant's name has at most {MaxNameLength} characters.",
        _ => null,
    };

    /// <returns>Null when the slug is accepted; otherwise the reason.</returns>
    public static string? CheckSlug(string? slug) => slug switch
    {
        null or "" => "Give the tenant a slug: a short lower-case id such as 'acme-research'.",
        { Length: < MinSlugLength or > MaxSlugLength } => $"A slug has {MinSlugLength} to {MaxSlugLength} characters; '{slug}' has {slug.Length}.",
        _ when !SlugPattern().IsMatch(slug) =>
            $"'{slug}' is not a slug: use lower-case letters, digits and single hyphens, starting with a letter (e.g. 'acme-research').",
        _ => null,
    };

    /// <returns>Null when a tenant in <paramref name="from"/> may go to <paramref name="to"/>; otherwise the reason.</returns>
    public static string? RefuseTransition(TenantState from, TenantState to) => (from, to) switch
    {
        (TenantState.Deleted, _) => "The tenant is deleted; nothing about it can change.",
        (TenantState.Active, TenantState.Suspended) or (TenantState.Suspended, TenantState.Active) or (TenantState.Suspended, TenantState.Deleted) => null,
        (TenantState.Active, TenantState.Active) => "The tenant is not suspended.",
        (TenantState.Suspended, TenantState.Suspended) => "The tenant is already suspended.",
        (TenantState.Active, TenantState.Deleted) => "Suspend the tenant before deleting it: deletion is the last step of offboarding.",
        _ => $"A tenant cannot go from {from} to {to}.",
    };

    /// <returns>Null when the tenant's name may change in this state; otherwise the reason.</returns>
    public static string? RefuseRename(TenantState state) =>
        state == TenantState.Deleted ? "The tenant is deleted; nothing about it can change." : null;

    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();
}
