using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Cost;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Usage;

/// <summary>
/// Monthly budgets of the tenant and of its endpoints: set and removed by a TenantAdmin (audited), read by every member
/// with the month-to-date spend against them and the thresholds already told.
/// </summary>
public sealed class BudgetService(IDbContextFactory<PortalDbContext> dbFactory, TenantChangeRunner changes, TimeProvider clock)
{
    private static readonly ChangePermission Permission = new(AccessPolicy.CanSetBudgets, "Only admins set budgets");

    public async Task<ServiceResult<IReadOnlyList<BudgetView>>> ListAsync(Caller caller, Guid tenantId, CancellationToken ct = default)
    {
        if (!UsageService.CanRead(caller, tenantId))
        {
            return ServiceResult<IReadOnlyList<BudgetView>>.NotFound("No such tenant.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return ServiceResult<IReadOnlyList<BudgetView>>.Ok(await MonthToDateAsync(db, tenantId, ct));
    }

    /// <param name="endpointId">Null for the tenant's own budget.</param>
    public Task<ServiceResult<BudgetView>> SetAsync(Caller caller, Guid tenantId, Guid? endpointId, BudgetRequest request, CancellationToken ct = default)
    {
        var percentages = request.AlertPercentages ?? BudgetRule.DefaultPercentages;
        var errors = BudgetRule.Validate(request.MonthlyUsd, percentages);
        var change = new TenantChange(caller, tenantId, Permission, "budget.set", "budget", endpointId?.ToString() ?? "tenant")
        {
            InputErrors = errors.Count > 0 ? errors : null,
            // Two first settings at once: the loser's insert fails on the key, and its second try updates the winner's row.
            Attempts = 2,
        };
        return changes.RunAsync(change, async db =>
        {
            string scope = "tenant";
            if (endpointId is { } id)
            {
                if (await db.Endpoints.AsNoTracking().Where(e => e.Id == id && e.TenantId == tenantId).Select(e => e.Name).SingleOrDefaultAsync(ct) is not { } name)
                {
                    return ServiceResult<BudgetView>.NotFound("No such endpoint.");
                }

                scope = name;
            }

            var budget = await db.Budgets.SingleOrDefaultAsync(b => b.TenantId == tenantId && b.EndpointId == endpointId, ct);
            var before = budget is null ? null : new { budget.MonthlyUsd, budget.AlertPercentages };
            var first = budget is null;
            if (budget is null)
            {
                budget = new Budget { TenantId = tenantId, EndpointId = endpointId, AlertPercentages = "", UpdatedBy = caller.Name };
                db.Budgets.Add(budget);
            }

            (budget.MonthlyUsd, budget.AlertPercentages, budget.UpdatedAt, budget.UpdatedBy) =
                (request.MonthlyUsd!.Value, BudgetRule.Format(percentages), clock.GetUtcNow(), caller.Name);
            return ChangeOutcome.Save(
                new ChangeRecord("budget.set", new { scope, before, after = new { budget.MonthlyUsd, budget.AlertPercentages } }) { ResourceId = budget.Id.ToString() },
                () => OneAsync(tenantId, budget.Id, ct)) with
            {
                // Lost the race on both tries (the retry above normally updates the winner's row): say so, never a 500.
                WhenSaveFails = e => first && DatabaseErrors.IsUniqueViolation(e)
                    ? ServiceResult<BudgetView>.Conflict($"The {(endpointId is null ? "tenant" : "endpoint")} budget was just created by another save; save again to change it.")
                    : null,
            };
        }, ct);
    }

    public Task<ServiceResult<BudgetView>> DeleteAsync(Caller caller, Guid tenantId, Guid? endpointId, CancellationToken ct = default) =>
        changes.RunAsync(new TenantChange(caller, tenantId, Permission, "budget.delete", "budget", endpointId?.ToString() ?? "tenant"),
            budgets => budgets.Where(b => b.EndpointId == endpointId), endpointId is null ? "The tenant has no budget." : "The endpoint has no budget.",
            async (Budget budget, PortalDbContext db) =>
            {
                var view = (await MonthToDateAsync(db, tenantId, ct)).Single(b => b.Id == budget.Id);
                db.Budgets.Remove(budget);
                return ChangeOutcome.Save(
                    new ChangeRecord("budget.deleted", new { scope = view.Scope, budget.MonthlyUsd, budget.AlertPercentages }) { ResourceId = budget.Id.ToString() },
                    view);
            }, ct);

    private async Task<ServiceResult<BudgetView>> OneAsync(Guid tenantId, Guid budgetId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return ServiceResult<BudgetView>.Ok((await MonthToDateAsync(db, tenantId, ct)).Single(b => b.Id == budgetId));
    }

    private async Task<IReadOnlyList<BudgetView>> MonthToDateAsync(PortalDbContext db, Guid tenantId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var facts = await UsageService.FactsAsync(db, tenantId, new DateOnly(today.Year, today.Month, 1), today, now, ct);
        return await StatusAsync(db, tenantId, facts, UsageCost.MonthName(today), ct);
    }

    /// <summary>Each budget of the tenant against <paramref name="monthFacts"/> (the month's facts so far).</summary>
    internal static async Task<IReadOnlyList<BudgetView>> StatusAsync(PortalDbContext db, Guid tenantId, IReadOnlyList<UsageFact> monthFacts, string month,
        CancellationToken ct)
    {
        var budgets = await db.Budgets.AsNoTracking().Include(b => b.Alerts.Where(a => a.Month == month))
            .Where(b => b.TenantId == tenantId).ToListAsync(ct);
        if (budgets.Count == 0)
        {
            return [];
        }

        var names = await db.Endpoints.AsNoTracking().Where(e => e.TenantId == tenantId).ToDictionaryAsync(e => e.Id, e => e.Name, ct);
        return budgets
            .Select(b =>
            {
                var spend = Spend(b, monthFacts);
                return new BudgetView(b.Id, b.EndpointId, b.EndpointId is { } id ? names.GetValueOrDefault(id, id.ToString()) : "tenant",
                    b.MonthlyUsd, BudgetRule.Parse(b.AlertPercentages), month, spend, BudgetRule.UsedPercent(b.MonthlyUsd, spend),
                    b.Alerts.OrderBy(a => a.Percent).Select(a => new BudgetAlertView(a.Percent, a.SpendUsd, a.FiredAt)).ToList(), b.UpdatedAt, b.UpdatedBy);
            })
            .OrderBy(b => b.EndpointId is null ? 0 : 1).ThenBy(b => b.Scope, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A tenant budget counts every cost of the month; an endpoint budget its endpoint's.</summary>
    internal static decimal Spend(Budget budget, IEnumerable<UsageFact> monthFacts) =>
        monthFacts.Where(f => budget.EndpointId is null || f.EndpointId == budget.EndpointId).Sum(f => f.DedicatedUsd + f.ServerlessUsd);
}
