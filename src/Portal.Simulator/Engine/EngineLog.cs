using System.Globalization;
using Portal.Simulator.Configuration;
using Portal.Simulator.Metrics;

namespace Portal.Simulator.Engine;

/// <summary>
/// The engine output a replica's log shows, in vLLM's shape (<c>INFO 12-07 10:05:17.250 [source] message</c>, UTC):
/// start-up and weight loading, a throughput line every <see cref="SimulatorOptions.LogStatsIntervalSeconds"/> while
/// requests run, and one line when a request is added and when it finishes — ids and token counts, never content.
/// Only <see cref="SimulatorOptions.EnableLogRequests"/> writes a prompt, as vLLM does with that flag.
/// </summary>
internal sealed class EngineLog(TextWriter writer, SimulatorOptions options)
{
    private readonly Lock _lock = new();

    public bool LogsRequests => options.EnableLogRequests;

    public void Info(string source, string message)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"INFO {DateTime.UtcNow:MM-dd HH:mm:ss.fff} [{source}] {message}");
        lock (_lock)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    public void Added(string requestId) => Info("async_llm.py", $"Added request {requestId}.");

    public void Received(string requestId, string body) => Info("logger.py", $"Received request {requestId}: prompt: {body}");

    public void Finished(string requestId, int promptTokens, int completionTokens, string reason) =>
        Info("async_llm.py", $"Finished request {requestId}: {promptTokens} prompt tokens, {completionTokens} completion tokens, {reason}.");

    /// <summary>Writes the start-up lines, the weights-loaded line once they are, then a throughput line per interval while busy.</summary>
    public async Task RunAsync(InferenceEngine engine, SimulatorMetrics metrics, Uri baseUri, CancellationToken stop)
    {
        Info("api_server.py", $"Simulator standing in for vLLM: model {options.ServedModelName}, max_model_len {options.MaxModelLen}, max_num_seqs {options.MaxNumSeqs}");
        // vLLM prints its arguments, secrets included; the portal redacts them when it shows the log.
        Info("utils.py", $"non-default args: {{'model': '{options.ServedModelName}', 'port': {options.Port}, 'api_key': '{options.ApiKey}'}}");
        Info("model_runner.py", $"Starting to load model {options.ServedModelName}...");
        try
        {
            while (!engine.IsReady)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), stop);
            }

            Info("model_runner.py", string.Create(CultureInfo.InvariantCulture, $"Loading weights took {options.WeightLoadSeconds:0.00} seconds"));
            Info("api_server.py", $"Starting vLLM API server on {baseUri}");
            Info("launcher.py", "Application startup complete.");
            var interval = TimeSpan.FromSeconds(Math.Max(options.LogStatsIntervalSeconds, 0.1));
            var (prompt, generation) = (metrics.PromptTokens, metrics.GenerationTokens);
            var wasBusy = false;
            using var timer = new PeriodicTimer(interval);
            while (await timer.WaitForNextTickAsync(stop))
            {
                var (nowPrompt, nowGeneration) = (metrics.PromptTokens, metrics.GenerationTokens);
                var busy = engine.Running > 0 || engine.Waiting > 0 || nowPrompt != prompt || nowGeneration != generation;
                if (busy || wasBusy)
                {
                    Info("loggers.py", string.Create(CultureInfo.InvariantCulture,
                        $"Engine 000: Avg prompt throughput: {(nowPrompt - prompt) / interval.TotalSeconds:0.0} tokens/s, "
                        + $"Avg generation throughput: {(nowGeneration - generation) / interval.TotalSeconds:0.0} tokens/s, "
                        + $"Running: {engine.Running} reqs, Waiting: {engine.Waiting} reqs, GPU KV cache usage: {engine.KvCacheUsage * 100:0.0}%"));
                }

                (prompt, generation, wasBusy) = (nowPrompt, nowGeneration, busy);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
