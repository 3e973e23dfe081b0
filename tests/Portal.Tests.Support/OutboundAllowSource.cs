using Microsoft.Extensions.Configuration;

namespace Portal.Tests.Support;

/// <summary>
/// The test portal's share of <c>Outbound:Allow</c>, editable while it runs: a test lets through exactly the upstream
/// it started (a simulator or webhook receiver on a loopback port), as an operator would by changing configuration.
/// </summary>
internal sealed class OutboundAllowSource : ConfigurationProvider, IConfigurationSource
{
    // Entries sit at high indexes so they add to any Outbound:Allow entries a test sets, not replace them.
    private const int FirstIndex = 1000;
    private readonly Lock _lock = new();
    private int _count;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    public void Add(string entry)
    {
        lock (_lock)
        {
            Data[$"Outbound:Allow:{FirstIndex + _count++}"] = entry;
        }

        OnReload();
    }
}
