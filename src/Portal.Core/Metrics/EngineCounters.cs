namespace Portal.Core.Metrics;

/// <summary>
/// An engine's generated-token counter and its waiting requests, read from its Prometheus text exposition and summed
/// over every label set: vLLM's <c>vllm:generation_tokens_total</c> and <c>vllm:num_requests_waiting</c>, SGLang's
/// <c>sglang:generation_tokens_total</c> and <c>sglang:num_queue_reqs</c>.
/// </summary>
public sealed record EngineCounters(double GenerationTokens, double Waiting)
{
    private static readonly (string Tokens, string Waiting)[] Families =
    [
        ("vllm:generation_tokens_total", "vllm:num_requests_waiting"),
        ("sglang:generation_tokens_total", "sglang:num_queue_reqs"),
    ];

    /// <summary>The first engine family whose token counter is present; null when none is.</summary>
    public static EngineCounters? Parse(string exposition)
    {
        ArgumentNullException.ThrowIfNull(exposition);
        foreach (var family in Families)
        {
            double tokens = 0, waiting = 0;
            var seen = false;
            foreach (var raw in exposition.Split('\n'))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line[0] == '#' || !ServerTtftHistogram.TrySplit(line, out var name, out _, out var value))
                {
                    continue;
                }

                if (name == family.Tokens)
                {
                    tokens += value;
                    seen = true;
                }
                else if (name == family.Waiting)
                {
                    waiting += value;
                }
            }

            if (seen)
            {
                return new EngineCounters(tokens, waiting);
            }
        }

        return null;
    }
}
