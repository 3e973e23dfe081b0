using Portal.Core.Audit;

namespace Portal.Audit;

/// <summary>What the auditor's console, the API and exports filter on.</summary>
public sealed record AuditFilter
{
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? Actor { get; init; }
    public string? Action { get; init; }
    public string? ResourceType { get; init; }
    public string? ResourceId { get; init; }
    public AuditOutcome? Outcome { get; init; }
    public string? ReasonText { get; init; }

    public bool IsEmpty => this == new AuditFilter();

    public IReadOnlyDictionary<string, string>? Describe()
    {
        var parts = new Dictionary<string, string>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts[key] = value;
            }
        }

        Add("from", From?.ToString("O"));
        Add("to", To?.ToString("O"));
        Add("actor", Actor);
        Add("action", Action);
        Add("resourceType", ResourceType);
        Add("resourceId", ResourceId);
        Add("outcome", Outcome?.ToString());
        Add("reason", ReasonText);
        return parts.Count == 0 ? null : parts;
    }

    public IQueryable<AuditRecord> Apply(IQueryable<AuditRecord> query)
    {
        if (From is { } from)
        {
            query = query.Where(r => r.OccurredAt >= from);
        }

        if (To is { } to)
        {
            query = query.Where(r => r.OccurredAt < to);
        }

        if (!string.IsNullOrWhiteSpace(Actor))
        {
            query = query.Where(r => r.ActorName.Contains(Actor) || r.ActorId == Actor);
        }

        if (!string.IsNullOrWhiteSpace(Action))
        {
            query = query.Where(r => r.Action.StartsWith(Action));
        }

        if (!string.IsNullOrWhiteSpace(ResourceType))
        {
            query = query.Where(r => r.ResourceType == ResourceType);
        }

        if (!string.IsNullOrWhiteSpace(ResourceId))
        {
            query = query.Where(r => r.ResourceId == ResourceId);
        }

        if (Outcome is { } outcome)
        {
            query = query.Where(r => r.Outcome == outcome);
        }

        if (!string.IsNullOrWhiteSpace(ReasonText))
        {
            query = query.Where(r => r.Reason != null && r.Reason.Contains(ReasonText));
        }

        return query;
    }
}
