using Microsoft.EntityFrameworkCore;
using Portal.Core.Keys;
using Portal.Core.Quotas;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Quotas;
using Portal.Tenancy;

namespace Portal.Inference;

public sealed record ApiKeyView(Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset? LastUsedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, int? RequestsPerMinute, int? MaxConcurrentRequests)
{
    public static ApiKeyView From(ApiKey k) => new(k.Id, k.Name, k.Prefix, InferenceKeyScopeNames.ToNames(k.Scopes), k.CreatedAt, k.CreatedBy,
        k.LastUsedAt, k.ExpiresAt, k.RevokedAt, k.RequestsPerMinute, k.MaxConcurrentRequests);
}

/// <summary>The key itself, in the one response that ever carries it.</summary>
public sealed record CreatedApiKey(ApiKeyView Key, string Secret);

public sealed record CreateApiKeyRequest(string Name, IReadOnlyList<string>? Scopes, int? RequestsPerMinute, int? MaxConcurrentRequests, int? ExpiresInDays);

public sealed record RotateApiKeyRequest(int? OverlapMinutes);

/// <summary>Inference keys: create (shown once), list, revoke, rotate with an overlap. Each change is audited.</summary>
public sealed class ApiKeyService(
    IDbContextFactory<PortalDbContext> dbFactory, TenantChangeRunner changes, GatewaySnapshot snapshot, QuotaService quotas, TimeProvider clock)
{
    private static readonly ChangePermission Permission =
        new(role => AccessPolicy.CanUse(Area.ApiKeys, role, false), "Inference keys are for TenantAdmin and Developer");

    /// <summary>Ten years: a longer expiry is no expiry, and an unbounded one overflows the date.</summary>
    public const int MaxExpiresInDays = 3650;

    public async Task<ServiceResult<IReadOnlyList<ApiKeyView>>> ListAsync(Caller caller, Guid tenantId, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is null)
        {
            return ServiceResult<IReadOnlyList<ApiKeyView>>.NotFound("No such tenant.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.TenantId == tenantId).OrderByDescending(k => k.CreatedAt).ToListAsync(ct);
        return ServiceResult<IReadOnlyList<ApiKeyView>>.Ok(keys.Select(ApiKeyView.From).ToList());
    }

    public Task<ServiceResult<CreatedApiKey>> CreateAsync(Caller caller, Guid tenantId, CreateApiKeyRequest request, CancellationToken ct = default) =>
        changes.RunAsync(Change(caller, tenantId, "key.create", request.Name), async db =>
        {
            if (await quotas.CheckCountAsync(caller, tenantId, QuotaKind.ApiKeys, nameof(request.Name), "key.create", "api-key", request.Name, ct) is { } overQuota)
            {
                return ServiceResult<CreatedApiKey>.Invalid(overQuota);
            }

            var errors = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 100)
            {
                errors[nameof(request.Name)] = ["Name the key (1 to 100 characters), e.g. the application that uses it."];
            }

            var scopes = InferenceKeyScopes.All;
            if (request.Scopes is { Count: > 0 } names)
            {
                try
                {
                    scopes = InferenceKeyScopeNames.Parse(names);
                }
                catch (FormatException e)
                {
                    errors[nameof(request.Scopes)] = [e.Message];
                }
            }

            if (request.RequestsPerMinute is <= 0)
            {
                errors[nameof(request.RequestsPerMinute)] = ["A requests-per-minute limit must be positive when given."];
            }

            if (request.MaxConcurrentRequests is <= 0)
            {
                errors[nameof(request.MaxConcurrentRequests)] = ["A concurrency limit must be positive when given."];
            }

            if (request.ExpiresInDays is <= 0 or > MaxExpiresInDays)
            {
                errors[nameof(request.ExpiresInDays)] = [$"A key expires in 1 to {MaxExpiresInDays} days when an expiry is given."];
            }

            if (errors.Count > 0)
            {
                return ServiceResult<CreatedApiKey>.Invalid(errors);
            }

            var now = clock.GetUtcNow();
            var (key, secret) = NewKey(tenantId, request.Name.Trim(), scopes, request.RequestsPerMinute, request.MaxConcurrentRequests,
                request.ExpiresInDays is { } days ? now.AddDays(days) : null, caller.Name, now);
            db.ApiKeys.Add(key);
            return ChangeOutcome.Save(
                new ChangeRecord("key.created", new { name = key.Name, prefix = key.Prefix, scopes = InferenceKeyScopeNames.ToNames(scopes) })
                {
                    ResourceId = key.Id.ToString(),
                },
                RefreshThen(new CreatedApiKey(ApiKeyView.From(key), secret), ct));
        }, ct);

    public Task<ServiceResult<ApiKeyView>> RevokeAsync(Caller caller, Guid tenantId, Guid keyId, CancellationToken ct = default) =>
        changes.RunAsync(Change(caller, tenantId, "key.revoke", keyId.ToString()), keys => keys.Where(k => k.Id == keyId), "No such key.",
            (ApiKey key, PortalDbContext _) =>
            {
                key.RevokedAt ??= clock.GetUtcNow();
                return ChangeOutcome.Save(new ChangeRecord("key.revoked", new { name = key.Name, prefix = key.Prefix }), RefreshThen(ApiKeyView.From(key), ct));
            }, ct);

    /// <summary>A new key with the same name, scopes and limits; the old one keeps working for the overlap, then expires.</summary>
    public Task<ServiceResult<CreatedApiKey>> RotateAsync(Caller caller, Guid tenantId, Guid keyId, RotateApiKeyRequest request, CancellationToken ct = default)
    {
        var overlap = TimeSpan.FromMinutes(Math.Clamp(request.OverlapMinutes ?? 60, 0, 60 * 24 * 30));
        return changes.RunAsync(Change(caller, tenantId, "key.rotate", keyId.ToString()),
            keys => keys.Where(k => k.Id == keyId && k.RevokedAt == null), "No such active key.",
            (ApiKey old, PortalDbContext db) =>
            {
                var now = clock.GetUtcNow();
                var (key, secret) = NewKey(tenantId, old.Name, old.Scopes, old.RequestsPerMinute, old.MaxConcurrentRequests, null, caller.Name, now);
                db.ApiKeys.Add(key);
                old.RotatedToId = key.Id;
                old.ExpiresAt = old.ExpiresAt is { } expiry && expiry < now + overlap ? expiry : now + overlap;
                return ChangeOutcome.Save(
                    new ChangeRecord("key.rotated", new { name = old.Name, oldPrefix = old.Prefix, newPrefix = key.Prefix, oldExpiresAt = old.ExpiresAt }),
                    RefreshThen(new CreatedApiKey(ApiKeyView.From(key), secret), ct));
            }, ct);
    }

    /// <summary>The gateway routes from a snapshot: it learns of a changed key once the change is committed.</summary>
    private Func<Task<ServiceResult<T>>> RefreshThen<T>(T value, CancellationToken ct) => async () =>
    {
        await snapshot.RefreshAsync(ct);
        return ServiceResult<T>.Ok(value);
    };

    private static (ApiKey Key, string Secret) NewKey(Guid tenantId, string name, InferenceKeyScopes scopes, int? rpm, int? concurrency,
        DateTimeOffset? expiresAt, string createdBy, DateTimeOffset now)
    {
        var generated = InferenceKey.Generate();
        return (new ApiKey
        {
            TenantId = tenantId, Name = name, Prefix = generated.DisplayPrefix, KeyHash = generated.Hash, Scopes = scopes,
            RequestsPerMinute = rpm, MaxConcurrentRequests = concurrency, ExpiresAt = expiresAt, CreatedAt = now, CreatedBy = createdBy,
        }, generated.Plaintext);
    }

    private static TenantChange Change(Caller caller, Guid tenantId, string action, string resource) =>
        new(caller, tenantId, Permission, action, "api-key", resource);
}
