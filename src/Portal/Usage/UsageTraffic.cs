using Portal.Data.Entities;

namespace Portal.Usage;

/// <summary>
/// Which measured requests count as usage: the one filter, applied when the daily usage is written. A request refused
/// before an endpoint was chosen (unknown model) reached no target and cost nothing. Shadow copies count, as their own
/// tier: they are not the customer's traffic but they do cost GPU time or tokens.
/// </summary>
public static class UsageTraffic
{
    public static IQueryable<RequestSampleRow> Counted(IQueryable<RequestSampleRow> samples) =>
        samples.Where(s => s.EndpointId != null);
}
