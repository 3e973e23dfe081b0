namespace Portal.Data.Entities;

/// <summary>A monthly spending budget of the tenant (no endpoint) or of one endpoint, with its alert percentages.</summary>
public sealed class Budget : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }

    /// <summary>Null: the whole tenant's spend.</summary>
    public Guid? EndpointId { get; set; }

    public decimal MonthlyUsd { get; set; }

    /// <summary>Ascending, comma-separated (e.g. <c>50,80,100</c>).</summary>
    public required string AlertPercentages { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
    public List<BudgetAlert> Alerts { get; set; } = [];
}

/// <summary>A budget threshold told for a month: the unique row is what makes it told once, by any instance.</summary>
public sealed class BudgetAlert
{
    public long Id { get; set; }
    public Guid BudgetId { get; set; }
    public Guid TenantId { get; set; }

    /// <summary><c>yyyy-MM</c>.</summary>
    public required string Month { get; set; }

    public int Percent { get; set; }
    public decimal SpendUsd { get; set; }
    public decimal MonthlyUsd { get; set; }
    public DateTimeOffset FiredAt { get; set; }
}
