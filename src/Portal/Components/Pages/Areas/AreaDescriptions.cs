using Portal.Core.Tenancy;

namespace Portal.Components.Pages.Areas;

public static class AreaDescriptions
{
    public static string For(Area area) => area switch
    {
        Area.Deploy => "Deploy a dedicated endpoint in four steps: model, GPUs and runtime, replicas, region.",
        Area.Endpoints => "Your endpoints, their targets and replicas; shadow a share of traffic and flip the primary.",
        Area.Observability => "Time-to-first-token distributions and cold-start events per model and endpoint.",
        Area.Migration => "Measured signals that say when to leave serverless inference, and the break-even point.",
        Area.Regions => "Where your endpoints may run and where requests were processed.",
        Area.Audit => "The tamper-evident record of every change, sign-in and support look-in.",
        Area.HealthSla => "Probes, incidents and uptime against the 99.9 % SLA.",
        Area.Usage => "What the endpoints cost so far this month, per day, endpoint, key, model and tier, against budgets.",
        Area.ApiKeys => "Inference keys for the OpenAI-compatible API.",
        Area.Members => "People in this tenant and their roles.",
        Area.Support => "Fleet health across tenants.",
        Area.Tenants => "The platform's tenants: create, rename, suspend, resume and delete them; set their quotas and allowed regions.",
        _ => "",
    };
}
