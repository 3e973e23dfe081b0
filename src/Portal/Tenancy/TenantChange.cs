using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Identity;

namespace Portal.Tenancy;

/// <summary>Which tenant roles may make a kind of change, and the rule a refused caller is told.</summary>
public sealed record ChangePermission(Func<TenantRole, bool> Allows, string Rule);

/// <summary>
/// One attempted change to a tenant's data: by whom, in which tenant, under which permission, and the action and
/// resource a refusal of the caller is recorded under.
/// </summary>
public sealed record TenantChange(Caller Caller, Guid TenantId, ChangePermission Permission, string Action, string ResourceType, string ResourceId)
{
    /// <summary>Errors in the request itself: answered after the guard, before anything is loaded, and not recorded.</summary>
    public IReadOnlyDictionary<string, string[]>? InputErrors { get; init; }

    /// <summary>
    /// How often the change is tried, from the load on, when saving it fails; more than once only for a change that
    /// may lose a harmless race (a row a background job creates at the same moment).
    /// </summary>
    public int Attempts { get; init; } = 1;

    /// <summary>A platform operator may make this change in any tenant that is not deleted, member or not (the tenant's allowed regions).</summary>
    public bool OperatorMayAct { get; init; }
}

/// <summary>What the audit trail records of a change. The resource is the change's unless named here.</summary>
public sealed record ChangeRecord(string Action, object? Details = null)
{
    public string? Reason { get; init; }
    public string? ResourceType { get; init; }
    public string? ResourceId { get; init; }
}

/// <summary>
/// What the step of a change decided: save it (with its record, and the answer to give once committed), or refuse
/// it (nothing is saved; the refusal is recorded only when the step says so). A refusing <see cref="ServiceResult{T}"/>
/// converts to a refusal that is not recorded.
/// </summary>
public sealed record ChangeOutcome<T>
{
    internal ChangeOutcome(ChangeRecord? record, Func<Task<ServiceResult<T>>>? answer, ServiceResult<T>? refusal, AuditOutcome? refusalOutcome)
    {
        Record = record;
        Answer = answer;
        Refusal = refusal;
        RefusalOutcome = refusalOutcome;
    }

    internal ChangeRecord? Record { get; }
    internal Func<Task<ServiceResult<T>>>? Answer { get; }
    internal ServiceResult<T>? Refusal { get; }

    /// <summary>Set when the refusal enters the audit trail.</summary>
    internal AuditOutcome? RefusalOutcome { get; }

    /// <summary>
    /// Statements that bypass tracking (ExecuteUpdate, ExecuteDelete) and belong to the change: run in its transaction
    /// after the tracked changes are saved, so they stand or fall with them.
    /// </summary>
    public Func<PortalDbContext, Task>? AlsoWrite { get; init; }

    /// <summary>The answer when saving fails (a concurrency stamp or a unique index refused it); null lets the failure through.</summary>
    public Func<DbUpdateException, ServiceResult<T>?>? WhenSaveFails { get; init; }

    public static implicit operator ChangeOutcome<T>(ServiceResult<T> refusal) => ChangeOutcome.Refuse(refusal);
}

public static class ChangeOutcome
{
    /// <summary>Save the change, record it, then answer with <paramref name="value"/>.</summary>
    public static ChangeOutcome<T> Save<T>(ChangeRecord record, T value) =>
        new(record, () => Task.FromResult(ServiceResult<T>.Ok(value)), null, null);

    /// <summary>Save the change, record it, then answer with what <paramref name="answer"/> gives (run after the commit).</summary>
    public static ChangeOutcome<T> Save<T>(ChangeRecord record, Func<Task<ServiceResult<T>>> answer) => new(record, answer, null, null);

    /// <summary>Nothing to change (the request asks for what already is): nothing is saved or recorded; answer with <paramref name="value"/>.</summary>
    public static ChangeOutcome<T> Unchanged<T>(T value) => new(null, () => Task.FromResult(ServiceResult<T>.Ok(value)), null, null);

    /// <summary>Refuse: nothing is saved or recorded.</summary>
    public static ChangeOutcome<T> Refuse<T>(ServiceResult<T> answer) => new(null, null, Refused(answer), null);

    /// <summary>
    /// Refuse: nothing is saved, and the refusal enters the audit trail with its message as the reason, under the
    /// change's action and resource unless <paramref name="record"/> names others.
    /// </summary>
    public static ChangeOutcome<T> RefuseOnRecord<T>(ServiceResult<T> answer, AuditOutcome outcome = AuditOutcome.Failure, ChangeRecord? record = null) =>
        new(record, null, Refused(answer), outcome);

    private static ServiceResult<T> Refused<T>(ServiceResult<T> answer) => answer.Succeeded
        ? throw new ArgumentException("A refusal cannot be a success; return Save instead.", nameof(answer))
        : answer;
}
