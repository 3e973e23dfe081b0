using System.Globalization;
using Portal.Core.Cost;
using Portal.Usage;
using static Portal.Api.DeploymentsApi;

namespace Portal.Api;

public static class UsageApi
{
    public static RouteGroupBuilder MapUsageApi(this RouteGroupBuilder api)
    {
        var usage = api.MapGroup("/").WithTags("Usage");
        usage.MapGet("/usage", async (Guid? tenantId, string? month, string? from, string? to, string? groupBy, HttpContext http, UsageService service) =>
                Query(month, from, to, groupBy, out var query) is { } bad ? bad
                : Tenant(http, tenantId) is { } tenant ? (await service.ReportAsync(http.Caller(), tenant, query, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("GetUsage")
            .WithSummary("Usage and cost over whole UTC days (from=, to= as YYYY-MM-DD, or month=YYYY-MM; default this month to date), grouped by day, endpoint, key, model or tier.")
            .Produces<UsageReport>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        usage.MapGet("/usage.csv", async (Guid? tenantId, string? month, string? from, string? to, string? groupBy, HttpContext http, UsageService service) =>
                Query(month, from, to, groupBy, out var query) is { } bad ? bad
                : Tenant(http, tenantId) is { } tenant
                    ? (await service.ReportAsync(http.Caller(), tenant, query, http.RequestAborted)).ToHttpResult(report => Results.File(
                        System.Text.Encoding.UTF8.GetBytes(UsageService.Csv(report)), "text/csv; charset=utf-8",
                        $"usage-{report.From:yyyy-MM-dd}-{report.To:yyyy-MM-dd}-by-{report.GroupBy}.csv"))
                    : NoTenant())
            .WithName("GetUsageCsv").WithSummary("The same report as CSV: one row per group, full precision.")
            .Produces<string>(contentType: "text/csv").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        var budgets = api.MapGroup("/budgets").WithTags("Usage");
        budgets.MapGet("/", async (Guid? tenantId, HttpContext http, BudgetService service) =>
                Tenant(http, tenantId) is { } tenant ? (await service.ListAsync(http.Caller(), tenant, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("ListBudgets").WithSummary("The tenant's and its endpoints' monthly budgets, this month's spend against each and the alerts told.")
            .Produces<IReadOnlyList<BudgetView>>();
        budgets.MapPut("/", async (BudgetRequest request, Guid? tenantId, HttpContext http, BudgetService service) =>
                Tenant(http, tenantId) is { } tenant ? (await service.SetAsync(http.Caller(), tenant, null, request, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("SetTenantBudget").WithSummary("Set the tenant's monthly budget, e.g. {monthlyUsd: 500, alertPercentages: [50, 80, 100]} (TenantAdmin; audited).")
            .Produces<BudgetView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        budgets.MapDelete("/", async (Guid? tenantId, HttpContext http, BudgetService service) =>
                Tenant(http, tenantId) is { } tenant ? (await service.DeleteAsync(http.Caller(), tenant, null, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("DeleteTenantBudget").WithSummary("Remove the tenant's budget (TenantAdmin; audited).")
            .Produces<BudgetView>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        budgets.MapPut("/endpoints/{endpointId:guid}", async (Guid endpointId, BudgetRequest request, Guid? tenantId, HttpContext http, BudgetService service) =>
                Tenant(http, tenantId) is { } tenant
                    ? (await service.SetAsync(http.Caller(), tenant, endpointId, request, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("SetEndpointBudget").WithSummary("Set one endpoint's monthly budget (TenantAdmin; audited).")
            .Produces<BudgetView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        budgets.MapDelete("/endpoints/{endpointId:guid}", async (Guid endpointId, Guid? tenantId, HttpContext http, BudgetService service) =>
                Tenant(http, tenantId) is { } tenant
                    ? (await service.DeleteAsync(http.Caller(), tenant, endpointId, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("DeleteEndpointBudget").WithSummary("Remove one endpoint's budget (TenantAdmin; audited).")
            .Produces<BudgetView>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>The window and grouping of a usage request; a 400 naming the field when one is malformed.</summary>
    internal static IResult? Query(string? month, string? from, string? to, string? groupBy, out UsageQuery query)
    {
        query = new UsageQuery(null, null);
        var errors = new Dictionary<string, string[]>();
        if (!UsageLedger.TryParseGroupBy(groupBy, out var group))
        {
            errors["groupBy"] = ["Group by day, endpoint, key, model or tier."];
        }

        DateOnly? first = null, last = null;
        if (month is not null)
        {
            if (from is not null || to is not null)
            {
                errors["month"] = ["Give either month or from and to, not both."];
            }
            else if (UsageCost.TryParseMonth(month, out var start))
            {
                (first, last) = (start, start.AddMonths(1).AddDays(-1));
            }
            else
            {
                errors["month"] = ["Give the month as YYYY-MM, e.g. 2026-12."];
            }
        }

        first = Day(from, "from", errors) ?? first;
        last = Day(to, "to", errors) ?? last;
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        query = new UsageQuery(first, last, group);
        return null;
    }

    private static DateOnly? Day(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors[field] = ["Give the day as YYYY-MM-DD, e.g. 2026-12-01."];
        return null;
    }
}
