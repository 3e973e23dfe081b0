using Portal.Core.Latency;

namespace Portal.Core.Tests.Latency;

internal static class Samples
{
    public static readonly Guid Endpoint = Guid.Parse("00000000-0000-0000-0000-0000000000e1");
    public static readonly Guid Target = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
    public static readonly Guid OtherTarget = Guid.Parse("00000000-0000-0000-0000-0000000000a2");
    public static readonly DateTimeOffset Noon = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    public static LatencySample At(
        DateTimeOffset time,
        double? ttftMs = 200,
        bool coldStart = false,
        int status = 200,
        TrafficKind traffic = TrafficKind.Production,
        Guid? target = null,
        long promptTokens = 100,
        long completionTokens = 20) =>
        new(time, Endpoint, target ?? Target, "us-west", "dedicated", ttftMs, coldStart, promptTokens, completionTokens, status, traffic);
}
