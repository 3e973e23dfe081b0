namespace Portal.Demo;

/// <summary>
/// The first-run demo (section <c>Demo</c>): a serverless endpoint backed by a simulator process, a dedicated
/// deployment, and a traffic generator calling both through the portal's own gateway. Runs only in Development.
/// </summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    public bool Enabled { get; set; }

    /// <summary>The simulator's state file and log, and the generator's key (protected with Data Protection).</summary>
    public string StateDirectory { get; set; } = "data/demo";

    /// <summary>The endpoint backed by the serverless simulator; programs send it as the model.</summary>
    public string ServerlessEndpoint { get; set; } = "chat-large";

    /// <summary>The catalog model the serverless simulator stands in for; above 20B parameters it gets the 70B serverless profile.</summary>
    public string ServerlessCatalogModel { get; set; } = "llama-3.1-70b-instruct";

    /// <summary>
    /// Real seconds per simulated second of the serverless simulator: 0.1 turns the profile's 300 s idle timeout into
    /// 30 s and its 60 s cold start into 6 s (above the gateway's 5 s cold-start threshold).
    /// </summary>
    public double ServerlessTimeScale { get; set; } = 0.1;

    /// <summary>
    /// The serverless simulator profile's idle timeout in simulated seconds (300 in both serverless profiles). The demo's
    /// serverless target gets this × <see cref="ServerlessTimeScale"/> as its configured idle gap, as a person would enter
    /// a provider's documented scale-to-zero delay, so its cold starts after an idle stretch read "after idle gap: yes".
    /// </summary>
    public double ServerlessIdleTimeoutSeconds { get; set; } = 300;

    public decimal ServerlessInputPricePerMillion { get; set; }

    public decimal ServerlessOutputPricePerMillion { get; set; }

    /// <summary>The dedicated deployment (and its endpoint).</summary>
    public string DedicatedDeployment { get; set; } = "chat-small";

    public string DedicatedCatalogModel { get; set; } = "llama-3.1-8b-instruct";

    public string DedicatedGpuType { get; set; } = "h100-80gb";

    public string DedicatedRegion { get; set; } = "us-east";

    public DemoTrafficOptions Traffic { get; set; } = new();
}

public sealed class DemoTrafficOptions
{
    /// <summary>Whether the generator starts with the portal; the Overview page switches it at run time.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Concurrent conversations per endpoint during a busy stretch.</summary>
    public int Conversations { get; set; } = 3;

    /// <summary>Requests per second per endpoint during a busy stretch, across its conversations.</summary>
    public double RequestsPerSecond { get; set; } = 2;

    public double BusySeconds { get; set; } = 20;

    /// <summary>Quiet time between busy stretches; longer than the serverless simulator's idle timeout, so it goes cold.</summary>
    public double IdleGapSeconds { get; set; } = 40;

    /// <summary>Share of requests sent with <c>stream: true</c>.</summary>
    public double StreamingShare { get; set; } = 0.7;
}
