using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Deployments;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Deployments;

/// <summary>A stored credential as lists show it: never a secret value.</summary>
public sealed record WeightCredentialView(
    Guid Id, WeightCredentialKind Kind, string Hint, string? Endpoint, string? Region,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RotatedAt, string? RotatedBy)
{
    public static WeightCredentialView From(WeightCredential c) =>
        new(c.Id, c.Kind, c.Hint, c.Endpoint, c.Region, c.CreatedAt, c.CreatedBy, c.RotatedAt, c.RotatedBy);
}

/// <summary>The answer to storing or rotating: the values just stored, shown this once and never again.</summary>
public sealed record StoredWeightCredential(WeightCredentialView Credential, string? Token, string? AccessKeyId, string? SecretAccessKey);

/// <summary>
/// A tenant's credentials for private weight sources (<see cref="WeightSources"/>): stored encrypted with Data
/// Protection, one per kind, managed by TenantAdmins, every change audited without its values. The reconciler reads
/// them back only to launch that tenant's replicas.
/// </summary>
public sealed class WeightCredentialService(
    IDbContextFactory<PortalDbContext> dbFactory, TenantGuard guard, TenantChangeRunner changes, IDataProtectionProvider protection, TimeProvider clock)
{
    public const string Purpose = "Portal.WeightCredentials.v1";
    private const string ResourceType = "weight-credential";
    private const string Rule = "Only TenantAdmins manage weight credentials";

    private static readonly ChangePermission Permission = new(AccessPolicy.CanManageWeightCredentials, Rule);

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    public async Task<ServiceResult<IReadOnlyList<WeightCredentialView>>> ListAsync(Caller caller, Guid tenantId, CancellationToken ct = default)
    {
        if (await guard.RequireAsync<IReadOnlyList<WeightCredentialView>>(caller, tenantId, AccessPolicy.CanManageWeightCredentials, Rule,
                "weight-credential.list", ResourceType, "", ct) is { } refused)
        {
            return refused;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.WeightCredentials.AsNoTracking().Where(c => c.TenantId == tenantId).ToListAsync(ct);
        return ServiceResult<IReadOnlyList<WeightCredentialView>>.Ok(stored.OrderBy(c => c.Kind).Select(WeightCredentialView.From).ToList());
    }

    public Task<ServiceResult<StoredWeightCredential>> CreateAsync(Caller caller, Guid tenantId, WeightCredentialInput input, CancellationToken ct = default) =>
        changes.RunAsync(Change(caller, tenantId, "weight-credential.create", input.Kind?.ToString() ?? "") with
        {
            InputErrors = WeightCredentialRules.Validate(input),
        }, async db =>
        {
            if (await db.WeightCredentials.AnyAsync(c => c.TenantId == tenantId && c.Kind == input.Kind, ct))
            {
                return ServiceResult<StoredWeightCredential>.Conflict(
                    $"A {WeightSources.Describe(input.Kind!.Value)} credential is already stored; rotate it (PUT) or delete it first.");
            }

            var credential = new WeightCredential
            {
                TenantId = tenantId, Kind = input.Kind!.Value, ProtectedValue = "", Hint = "", CreatedAt = clock.GetUtcNow(), CreatedBy = caller.Name,
            };
            Apply(credential, input);
            db.WeightCredentials.Add(credential);
            return ChangeOutcome.Save(
                new ChangeRecord("weight-credential.created", AuditDetails(credential)) { ResourceId = credential.Id.ToString() },
                Shown(credential, input)) with
            {
                // Two admins stored the same kind at once; the unique index kept one.
                WhenSaveFails = _ => ServiceResult<StoredWeightCredential>.Conflict($"A {WeightSources.Describe(credential.Kind)} credential is already stored."),
            };
        }, ct);

    /// <summary>Replaces the values of a stored credential; replicas started from now on use the new ones.</summary>
    public Task<ServiceResult<StoredWeightCredential>> RotateAsync(
        Caller caller, Guid tenantId, Guid id, WeightCredentialInput input, CancellationToken ct = default) =>
        changes.RunAsync(Change(caller, tenantId, "weight-credential.rotate", id.ToString()), credentials => credentials.Where(c => c.Id == id),
            "No such weight credential.", (WeightCredential credential, PortalDbContext _) =>
            {
                input = input with { Kind = input.Kind ?? credential.Kind };
                if (input.Kind != credential.Kind)
                {
                    return ServiceResult<StoredWeightCredential>.Invalid(WeightCredentialRules.KindField,
                        $"This credential is of kind {credential.Kind}; a rotation keeps the kind (store a {input.Kind} credential separately).");
                }

                if (WeightCredentialRules.Validate(input) is { Count: > 0 } errors)
                {
                    return ServiceResult<StoredWeightCredential>.Invalid(errors);
                }

                Apply(credential, input);
                credential.RotatedAt = clock.GetUtcNow();
                credential.RotatedBy = caller.Name;
                return ChangeOutcome.Save(new ChangeRecord("weight-credential.rotated", AuditDetails(credential)), Shown(credential, input));
            }, ct);

    public Task<ServiceResult<WeightCredentialView>> DeleteAsync(Caller caller, Guid tenantId, Guid id, CancellationToken ct = default) =>
        changes.RunAsync(Change(caller, tenantId, "weight-credential.delete", id.ToString()), credentials => credentials.Where(c => c.Id == id),
            "No such weight credential.", (WeightCredential credential, PortalDbContext db) =>
            {
                db.WeightCredentials.Remove(credential);
                return ChangeOutcome.Save(new ChangeRecord("weight-credential.deleted", AuditDetails(credential)), WeightCredentialView.From(credential));
            }, ct);

    /// <summary>The kinds the tenant has stored, for the deployment validator.</summary>
    public async Task<IReadOnlyCollection<WeightCredentialKind>> StoredKindsAsync(Guid tenantId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.WeightCredentials.Where(c => c.TenantId == tenantId).Select(c => c.Kind).ToListAsync(ct);
    }

    /// <summary>
    /// The tenant's decrypted credentials for launching one of its own replicas with private sources; null for public
    /// weights, which must not carry a tenant's secrets anywhere.
    /// </summary>
    public async Task<WeightCredentials?> ForLaunchAsync(Guid tenantId, ResolvedDeployment deployment, CancellationToken ct = default)
    {
        if (deployment.PrivateSources.Count == 0)
        {
            return null;
        }

        var kinds = deployment.PrivateCredentialKinds;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.WeightCredentials.AsNoTracking().Where(c => c.TenantId == tenantId).ToListAsync(ct);
        var unprotect = protection.CreateProtector(Purpose);
        var credentials = WeightCredentials.None;
        foreach (var row in stored.Where(c => kinds.Contains(c.Kind)))
        {
            var values = JsonSerializer.Deserialize<WeightCredentials>(unprotect.Unprotect(row.ProtectedValue), _json)!;
            credentials = row.Kind == WeightCredentialKind.HuggingFace
                ? credentials with { HuggingFaceToken = values.HuggingFaceToken }
                : credentials with { ObjectStore = values.ObjectStore };
        }

        return credentials;
    }

    private void Apply(WeightCredential credential, WeightCredentialInput input)
    {
        var values = WeightCredentialRules.ToCredentials(input);
        credential.ProtectedValue = protection.CreateProtector(Purpose).Protect(JsonSerializer.Serialize(values, _json));
        credential.Hint = WeightCredentialRules.Hint(input);
        credential.Endpoint = values.ObjectStore?.Endpoint;
        credential.Region = values.ObjectStore?.Region;
    }

    private static StoredWeightCredential Shown(WeightCredential credential, WeightCredentialInput input) =>
        new(WeightCredentialView.From(credential), input.Token, input.AccessKeyId, input.SecretAccessKey);

    private static TenantChange Change(Caller caller, Guid tenantId, string action, string resource) =>
        new(caller, tenantId, Permission, action, ResourceType, resource);

    /// <summary>What the audit trail records: which credential and where it points, never a value or a fragment of one.</summary>
    private static object AuditDetails(WeightCredential credential) => new { kind = credential.Kind.ToString(), credential.Endpoint, credential.Region };
}
