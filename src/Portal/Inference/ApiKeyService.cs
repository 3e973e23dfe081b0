using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Audit;
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
    IDbContextFactory<PortalDbContext> dbFactory, TenantGuard guard, GatewaySnapshot snapshot, AuditLog auditLog, QuotaService quotas, TimeProvider clock)
{
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

    public async Task<ServiceResult<CreatedApiKey>> CreateAsync(Caller caller, Guid tenantId, CreateApiKeyRequest request, CancellationToken ct = default)
    {
        if (await RequireAsync<CreatedApiKey>(caller, tenantId, "key.create", request.Name, ct) is { } refused)
        {
            return refused;
        }

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
            catch (ArgumentException e)
            {
                errors[nameof(request.Scopes)] = [e.Message];
            }
        }

        if (request.RequestsPerMinute is <= 0 || request.MaxConcurrentRequests is <= 0 || request.ExpiresInDays is <= 0)
        {
            errors["Limits"] = ["Limits and expiry must be positive when given."];
        }

        if (errors.Count > 0)
        {
            return ServiceResult<CreatedApiKey>.Invalid(errors);
        }

        var now = clock.GetUtcNow();
        var (key, secret) = NewKey(tenantId, request.Name.Trim(), scopes, request.RequestsPerMinute, request.MaxConcurrentRequests,
            request.ExpiresInDays is { } days ? now.AddDays(days) : null, caller.Name, now);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.ApiKeys.Add(key);
            await db.SaveChangesAsync(ct);
        }

        await snapshot.RefreshAsync(ct);
        await auditLog.RecordAsync(caller, tenantId, "key.created", "api-key", key.Id.ToString(),
            details: new { name = key.Name, prefix = key.Prefix, scopes = InferenceKeyScopeNames.ToNames(scopes) }, cancellationToken: ct);
        return ServiceResult<CreatedApiKey>.Ok(new CreatedApiKey(ApiKeyView.From(key), secret));
    }

    public async Task<ServiceResult<ApiKeyView>> RevokeAsync(Caller caller, Guid tenantId, Guid keyId, CancellationToken ct = default)
    {
        if (await RequireAsync<ApiKeyView>(caller, tenantId, "key.revoke", keyId.ToString(), ct) is { } refused)
        {
            return refused;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.TenantId == tenantId, ct);
        if (key is null)
        {
            return ServiceResult<ApiKeyView>.NotFound("No such key.");
        }

        key.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await snapshot.RefreshAsync(ct);
        await auditLog.RecordAsync(caller, tenantId, "key.revoked", "api-key", key.Id.ToString(), details: new { name = key.Name, prefix = key.Prefix },
            cancellationToken: ct);
        return ServiceResult<ApiKeyView>.Ok(ApiKeyView.From(key));
    }

    /// <summary>A new key with the same name, scopes and limits; the old one keeps working for the overlap, then expires.</summary>
    public async Task<ServiceResult<CreatedApiKey>> RotateAsync(Caller caller, Guid tenantId, Guid keyId, RotateApiKeyRequest request, CancellationToken ct = default)
    {
        if (await RequireAsync<CreatedApiKey>(caller, tenantId, "key.rotate", keyId.ToString(), ct) is { } refused)
        {
            return refused;
        }

        var overlap = TimeSpan.FromMinutes(Math.Clamp(request.OverlapMinutes ?? 60, 0, 60 * 24 * 30));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var old = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.TenantId == tenantId && k.RevokedAt == null, ct);
        if (old is null)
        {
            return ServiceResult<CreatedApiKey>.NotFound("No such active key.");
        }

        var now = clock.GetUtcNow();
        var (key, secret) = NewKey(tenantId, old.Name, old.Scopes, old.RequestsPerMinute, old.MaxConcurrentRequests, null, caller.Name, now);
        db.ApiKeys.Add(key);
        old.RotatedToId = key.Id;
        old.ExpiresAt = old.ExpiresAt is { } expiry && expiry < now + overlap ? expiry : now + overlap;
        await db.SaveChangesAsync(ct);
        await snapshot.RefreshAsync(ct);
        await auditLog.RecordAsync(caller, tenantId, "key.rotated", "api-key", old.Id.ToString(),
            details: new { name = old.Name, oldPrefix = old.Prefix, newPrefix = key.Prefix, oldExpiresAt = old.ExpiresAt }, cancellationToken: ct);
        return ServiceResult<CreatedApiKey>.Ok(new CreatedApiKey(ApiKeyView.From(key), secret));
    }

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

    private Task<ServiceResult<T>?> RequireAsync<T>(Caller caller, Guid tenantId, string action, string resource, CancellationToken ct) =>
        guard.RequireAsync<T>(caller, tenantId, role => AccessPolicy.CanUse(Area.ApiKeys, role, false), "Inference keys are for TenantAdmin and Developer", action, "api-key", resource, ct);
}
