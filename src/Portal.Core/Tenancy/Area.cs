namespace Portal.Core.Tenancy;

/// <summary>The product areas of the portal's navigation.</summary>
public enum Area
{
    Overview,
    Deploy,
    Endpoints,
    Observability,
    Migration,
    Regions,
    Audit,
    HealthSla,
    ApiKeys,
    Members,
    Support,
    Tenants,
    Usage,
}
