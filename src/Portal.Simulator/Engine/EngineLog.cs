using System.Globalization;
using System.Threading.Channels;
using Portal.Simulator.Configuration;
using Portal.Simulator.Metrics;

namespace Portal.Simulator.Engine;

/// <summary>
/// The engine output a replica's log shows, in vLLM's shape (<c>INFO 12-07 10:05:17.250 [source] message</c>, UTC):
/// start-up and weight loading, a throughput line every <see cref="SimulatorOptions.LogStatsIntervalSeconds"/> while
/// requests run, and one line when a request is added and when it finishes — ids and token counts, never content.
/// Only <see cref="SimulatorOptions.EnableLogRequests"/> writes a prompt, as vLLM does with that flag.
/// Lines are queued and written by one pump, so a reader that stops draining stdout never stalls a request: past
/// 10,000 queued lines new ones are dropped.
/// </summary>
internal sealed class EngineLog
{
    private readonly TextWriter _writer;
    private readonly SimulatorOptions _options;
    private readonly Channel<string>? _lines;
    private readonly Task _pump = Task.CompletedTask;

    public EngineLog(TextWriter writer, SimulatorOptions options)
    {
        _writer = writer;
        _options = options;
        if (writer != TextWriter.Null)
        {
            _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
            _pump = Task.Run(PumpAsync);
        }
    }

    public bool LogsRequests => _options.EnableLogRequests;

    public void Info(string source, string message) =>
        Write(string.Create(CultureInfo.InvariantCulture, $"INFO {DateTime.UtcNow:MM-dd HH:mm:ss.fff} [{source}] {message}"));

    /// <summary>Writes what is queued and stops the pump.</summary>
    public Task CompleteAsync()
    {
        _lines?.Writer.TryComplete();
        return _pump;
    }

    private void Write(string line) => _lines?.Writer.TryWrite(line);

    private async Task PumpAsync()
    {
        await foreach (var line in _lines!.Reader.ReadAllAsync())
        {
            await _writer.WriteLineAsync(line);
            if (!_lines.Reader.TryPeek(out _))
            {
                await _writer.FlushAsync();
            }
        }

        await _writer.FlushAsync();
    }

    public void Added(string requestId) => Info("async_llm.py", $"Added request {requestId}.");

    public void Received(string requestId, string body) => Info("logger.py", $"Received request {requestId}: prompt: {body}");

    public void Finished(string requestId, int promptTokens, int completionTokens, string reason) =>
        Info("async_llm.py", $"Finished request {requestId}: {promptTokens} prompt tokens, {completionTokens} completion tokens, {reason}.");

    /// <summary>Writes the banner and the start-up lines, the weights-loaded line once they are, then a throughput line per interval while busy.</summary>
    public async Task RunAsync(InferenceEngine engine, SimulatorMetrics metrics, Uri baseUri, CancellationToken stop)
    {
        var options = _options;
        // The banner comes first: whoever started the process reads it to know the simulator is up.
        Write($"Simulating {options.ServedModelName} on {baseUri}");
        Info("api_server.py", $"Simulator standing in for vLLM: model {options.ServedModelName}, max_model_len {options.MaxModelLen}, max_num_seqs {options.MaxNumSeqs}");
        // vLLM prints its non-default arguments; the replica's key stays out of the file (the portal redacts such lines anyway).
        Info("utils.py", $"non-default args: {{'model': '{options.ServedModelName}', 'port': {options.Port}, 'max_model_len': {options.MaxModelLen}}}");
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
