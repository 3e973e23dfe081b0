using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Simulator.Configuration;

/// <summary>The shipped behaviour profiles (embedded JSON) and loading of profile files.</summary>
public static class SimulatorProfiles
{
    public const string Dedicated8BH100 = "dedicated-8b-h100";
    public const string Serverless8B = "serverless-8b";
    public const string Dedicated70BH200 = "dedicated-70b-h200";
    public const string Serverless70B = "serverless-70b";

    private const string ResourcePrefix = "Portal.Simulator.Profiles.";

    /// <summary>Names of the shipped profiles.</summary>
    public static IReadOnlyList<string> Names { get; } = [Dedicated8BH100, Serverless8B, Dedicated70BH200, Serverless70B];

    /// <summary>
    /// A simulator that answers at once (no weight load, prefill, token gaps or jitter): the base that tests change one
    /// knob of, so what they observe is that knob's effect alone.
    /// </summary>
    public static SimulatorOptions Instant(string servedModelName, double timeScale = 1) => new()
    {
        ServedModelName = servedModelName,
        WeightLoadSeconds = 0,
        PrefillOverheadMs = 0,
        PrefillMsPerToken = 0,
        TtftJitter = 0,
        InterTokenLatencyMs = 0,
        InterTokenLatencyJitter = 0,
        SlowdownPerRunningSeq = 0,
        TimeScale = timeScale,
    };

    /// <summary>Options of a shipped profile name or of a JSON profile file.</summary>
    public static SimulatorOptions Load(string nameOrPath) => SimulatorCommandLine.FromJson(LoadJson(nameOrPath));

    internal static JsonObject LoadJson(string nameOrPath)
    {
        using var stream = typeof(SimulatorProfiles).Assembly.GetManifestResourceStream(ResourcePrefix + nameOrPath + ".json")
            ?? OpenFile(nameOrPath);
        try
        {
            return JsonNode.Parse(stream, documentOptions: new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            }) as JsonObject ?? throw new ArgumentException($"Profile '{nameOrPath}' is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Profile '{nameOrPath}' is not valid JSON: {e.Message}", e);
        }
    }

    private static FileStream OpenFile(string path) => File.Exists(path)
        ? File.OpenRead(path)
        : throw new ArgumentException(
            $"No shipped profile or file named '{path}'. Shipped profiles: {string.Join(", ", Names)}.");
}
