using Portal.Core.Outbound;

namespace Portal.Gateway.Outbound;

/// <summary>
/// Calls made on a tenant's word (serverless and shadow targets, their probes and metrics scrapes, webhooks); bound
/// from the <c>Outbound</c> configuration section.
/// </summary>
public sealed class OutboundOptions
{
    public const string SectionName = "Outbound";

    /// <summary>
    /// Internal targets the operator lets through: networks (<c>10.20.0.0/16</c>), addresses (<c>10.20.0.5</c>,
    /// <c>[fd00::5]:8000</c>) or host names (<c>llm.internal:8443</c>), each optionally with a port.
    /// </summary>
    public List<string> Allow { get; set; } = [];

    /// <summary>Time to open a connection to a tenant-given address.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest response body read from a probe, a metrics scrape or a webhook.</summary>
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    internal IReadOnlyList<OutboundAllowEntry> ParseAllow()
    {
        var entries = new List<OutboundAllowEntry>(Allow.Count);
        foreach (var text in Allow)
        {
            entries.Add(OutboundAllowEntry.TryParse(text, out var entry)
                ? entry!
                : throw new InvalidOperationException($"Outbound:Allow entry '{text}' is not a network, an address or a host name (optionally with :port)."));
        }

        return entries;
    }
}
