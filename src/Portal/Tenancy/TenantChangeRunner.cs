using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Tenancy;

/// <summary>
/// The one sequence every change to a tenant's data follows: the guard (a refused caller is answered and recorded),
/// the request's own errors, the load scoped to the caller's tenant (another tenant's row is simply not found), the
/// service's step, then the save and its audit record in one transaction, and the answer after the commit.
/// </summary>
/// <remarks>
/// The step runs before the transaction opens: it may read anything and record its own refusals (a quota check), but
/// writes only through the tracked context it is given. A step that throws, or a save or record that fails, leaves
/// nothing behind.
/// </remarks>
public sealed class TenantChangeRunner(IDbContextFactory<PortalDbContext> dbFactory, TenantGuard guard, AuditLog auditLog)
{
    /// <summary>Changes one row of the caller's tenant, found by <paramref name="load"/>; answers <paramref name="notFound"/> without it.</summary>
    public Task<ServiceResult<T>> RunAsync<TEntity, T>(
        TenantChange change,
        Func<IQueryable<TEntity>, IQueryable<TEntity>> load,
        string notFound,
        Func<TEntity, PortalDbContext, Task<ChangeOutcome<T>>> step,
        CancellationToken ct = default)
        where TEntity : class, ITenantOwned =>
        RunAsync(change, async db =>
        {
            var entity = await load(db.Set<TEntity>().Where(e => e.TenantId == change.TenantId)).SingleOrDefaultAsync(ct);
            return entity is null ? ServiceResult<T>.NotFound(notFound) : await step(entity, db);
        }, ct);

    /// <inheritdoc cref="RunAsync{TEntity, T}(TenantChange, Func{IQueryable{TEntity}, IQueryable{TEntity}}, string, Func{TEntity, PortalDbContext, Task{ChangeOutcome{T}}}, CancellationToken)"/>
    public Task<ServiceResult<T>> RunAsync<TEntity, T>(
        TenantChange change,
        Func<IQueryable<TEntity>, IQueryable<TEntity>> load,
        string notFound,
        Func<TEntity, PortalDbContext, ChangeOutcome<T>> step,
        CancellationToken ct = default)
        where TEntity : class, ITenantOwned =>
        RunAsync(change, load, notFound, (entity, db) => Task.FromResult(step(entity, db)), ct);

    /// <summary>A change that starts from no one row: adding something, or the tenant's own settings.</summary>
    public async Task<ServiceResult<T>> RunAsync<T>(TenantChange change, Func<PortalDbContext, Task<ChangeOutcome<T>>> step, CancellationToken ct = default)
    {
        var (caller, tenantId) = (change.Caller, change.TenantId);
        if (change.OperatorMayAct && AccessPolicy.CanManageTenants(caller.IsOperator) && await guard.IsOperatorNowAsync(caller, ct))
        {
            await using var tenants = await dbFactory.CreateDbContextAsync(ct);
            if (!await tenants.Tenants.AnyAsync(t => t.Id == tenantId && t.DeletedAt == null, ct))
            {
                return ServiceResult<T>.NotFound("No such tenant.");
            }
        }
        else if (await guard.RequireAsync<T>(caller, tenantId, change.Permission.Allows, change.Permission.Rule,
                change.Action, change.ResourceType, change.ResourceId, ct) is { } forbidden)
        {
            return forbidden;
        }

        if (change.InputErrors is { Count: > 0 } inputErrors)
        {
            return ServiceResult<T>.Invalid(inputErrors);
        }

        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var outcome = await step(db);
            if (outcome.Refusal is { } refusal)
            {
                if (outcome.RefusalOutcome is { } refusalOutcome)
                {
                    var refused = outcome.Record ?? new ChangeRecord(change.Action);
                    await auditLog.RecordAsync(caller, tenantId, refused.Action, refused.ResourceType ?? change.ResourceType,
                        refused.ResourceId ?? change.ResourceId, refusalOutcome, refused.Reason ?? refusal.Message, refused.Details, ct);
                }

                return refusal;
            }

            if (outcome.Record is null)
            {
                return await outcome.Answer!();
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            try
            {
                await db.SaveChangesAsync(ct);
                if (outcome.AlsoWrite is { } alsoWrite)
                {
                    await alsoWrite(db);
                    await db.SaveChangesAsync(ct);
                }
            }
            catch (DbUpdateException e)
            {
                await transaction.RollbackAsync(ct);
                if (attempt < change.Attempts)
                {
                    continue;
                }

                if (outcome.WhenSaveFails?.Invoke(e) is { } answer)
                {
                    return answer;
                }

                throw;
            }

            var record = outcome.Record;
            await auditLog.RecordAsync(db, caller, tenantId, record.Action, record.ResourceType ?? change.ResourceType,
                record.ResourceId ?? change.ResourceId, AuditOutcome.Success, record.Reason, record.Details, ct);
            await transaction.CommitAsync(ct);
            return await outcome.Answer!();
        }
    }
}
