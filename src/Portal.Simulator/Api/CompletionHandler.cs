using System.Diagnostics;
using Portal.Simulator.Engine;
using Portal.Simulator.Metrics;

namespace Portal.Simulator.Api;

/// <summary>
/// Serves one completion the way vLLM would look from outside: wait for weights (cold start), wait for a running slot,
/// prefill, then emit one token per inter-token gap. Token times follow absolute deadlines so timer granularity
/// does not accumulate into the measured latencies.
/// </summary>
internal sealed class CompletionHandler(InferenceEngine engine, SimulatorMetrics metrics, ArrivalJournal journal, EngineLog log)
{
    public const string ColdStartHeader = "x-simulator-cold-start";
    public const string NoisyNeighborHeader = "x-simulator-noisy-neighbor";

    public async Task HandleAsync(HttpContext context, CompletionKind kind)
    {
        var arrival = Stopwatch.GetTimestamp();
        if (!engine.IsReady)
        {
            await OpenAiError.Loading().WriteAsync(context.Response);
            return;
        }

        string? body = null;
        if (log.LogsRequests)
        {
            context.Request.EnableBuffering();
            body = await new StreamReader(context.Request.Body, leaveOpen: true).ReadToEndAsync(context.RequestAborted);
            context.Request.Body.Position = 0;
        }

        var (request, error) = await CompletionRequest.ReadAsync(context.Request, kind, engine.Options);
        if (request is null)
        {
            await error!.WriteAsync(context.Response);
            return;
        }

        var arrived = journal.Add(DateTimeOffset.UtcNow, request.Kind, request.PromptTokens, request.MaxTokens, request.Stream);
        var random = engine.NextRandom();
        var failure = InferenceEngine.DrawFailure(ref random, engine.Options);
        var injected = failure switch
        {
            InjectedFailure.InternalError => StatusCodes.Status500InternalServerError,
            InjectedFailure.Unavailable => StatusCodes.Status503ServiceUnavailable,
            InjectedFailure.RateLimited => StatusCodes.Status429TooManyRequests,
            _ => 0,
        };
        if (injected != 0)
        {
            await OpenAiError.Injected(injected).WriteAsync(context.Response);
            return;
        }

        var (residentAt, coldStart) = engine.Arrive();
        var cancellation = context.RequestAborted;
        try
        {
            var headers = context.Response.Headers;
            headers[ColdStartHeader] = coldStart ? "true" : "false";
            headers[NoisyNeighborHeader] = engine.NoisyNeighborActive ? "true" : "false";
            if (coldStart)
            {
                metrics.ColdStart();
                arrived.ColdStart = true;
            }

            var residentWaitMs = Math.Max(0, Seconds(residentAt - Stopwatch.GetTimestamp()) * 1000);
            await DelayUntil(residentAt, cancellation);
            var queued = Stopwatch.GetTimestamp();
            if (!await engine.TryStartAsync(cancellation))
            {
                arrived.Refused = true;
                await OpenAiError.QueueFull().WriteAsync(context.Response);
                return;
            }

            try
            {
                var waited = Stopwatch.GetElapsedTime(queued);
                arrived.QueueMs = waited.TotalMilliseconds;
                metrics.QueueTime.Observe(waited.TotalSeconds);
                await GenerateAsync(context, request, random, failure == InjectedFailure.DropConnection, arrival, arrived, residentWaitMs + waited.TotalMilliseconds, body);
            }
            finally
            {
                engine.Finish();
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            metrics.Finished("abort");
        }
        finally
        {
            engine.Depart();
        }
    }

    private async Task GenerateAsync(
        HttpContext context, CompletionRequest request, DeterministicRandom random, bool drop, long arrival, ArrivalJournal.Arrival arrived, double waitedMs, string? body)
    {
        var options = engine.Options;
        var cancellation = context.RequestAborted;
        var response = context.Response;
        var id = (request.Kind == CompletionKind.Chat ? "chatcmpl-" : "cmpl-") + random.NextUInt64().ToString("x16");
        if (body is not null)
        {
            log.Received(id, body);
        }

        log.Added(id);
        var chunks = new ChunkFormat(request, id, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), options.ServedModelName);
        var textSeed = FillerText.TextSeed(options.Seed, request.PromptHash);
        var writer = response.BodyWriter;
        var dropAfter = drop ? Math.Max(1, request.MaxTokens / 2) : int.MaxValue;
        var prefillSeconds = DelayModel.PrefillSeconds(
            options, request.PromptTokens, random.NextLogNormal(options.TtftJitter), engine.Slowdown());

        if (request.Stream)
        {
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            await response.StartAsync(cancellation);
        }

        metrics.AddPromptTokens(request.PromptTokens);
        engine.AddKvTokens(request.PromptTokens);
        var generated = 0;
        var firstToken = 0L;
        try
        {
            var deadline = Stopwatch.GetTimestamp() + engine.ToTicks(prefillSeconds);
            arrived.FirstTokenDueMs = waitedMs + Seconds(engine.ToTicks(prefillSeconds)) * 1000;
            var previous = 0L;
            for (var i = 0; i < request.MaxTokens; i++)
            {
                if (i > 0 && options.InterTokenLatencyMs > 0)
                {
                    deadline += engine.ToTicks(DelayModel.TokenGapSeconds(
                        options, random.NextLogNormal(options.InterTokenLatencyJitter), engine.Slowdown()));
                }

                await DelayUntil(deadline, cancellation);
                var now = Stopwatch.GetTimestamp();
                if (i == 0)
                {
                    firstToken = now;
                    metrics.TimeToFirstToken.Observe(Seconds(now - arrival));
                    if (request.Stream && request.Kind == CompletionKind.Chat)
                    {
                        chunks.WriteRole(writer);
                    }
                }
                else
                {
                    metrics.InterTokenLatency.Observe(Seconds(now - previous));
                }

                previous = now;
                generated++;
                engine.AddKvTokens(1);
                if (request.Stream)
                {
                    chunks.WriteToken(writer, FillerText.Utf8Token(textSeed, i));
                    var flush = await writer.FlushAsync(cancellation);
                    if (flush.IsCompleted || flush.IsCanceled)
                    {
                        metrics.Finished("abort");
                        return;
                    }
                }

                if (generated == dropAfter)
                {
                    // A worker that dies mid-generation: the client sees the connection reset, not an HTTP error.
                    context.Abort();
                    metrics.Finished("abort");
                    return;
                }
            }

            var finishReason = request.MaxTokensGiven ? "length" : "stop";
            if (request.Stream)
            {
                chunks.WriteEnd(writer, finishReason, generated);
                await writer.FlushAsync(cancellation);
            }
            else
            {
                response.ContentType = "application/json";
                chunks.WriteCompletion(writer, FillerText.Text(textSeed, generated), finishReason, generated);
            }

            var end = Stopwatch.GetTimestamp();
            metrics.EndToEndLatency.Observe(Seconds(end - arrival));
            if (generated > 1)
            {
                metrics.TimePerOutputToken.Observe(Seconds(end - firstToken) / (generated - 1));
            }

            metrics.Finished(finishReason);
            log.Finished(id, request.PromptTokens, generated, finishReason);
        }
        finally
        {
            metrics.AddGenerationTokens(generated);
            engine.AddKvTokens(-(request.PromptTokens + generated));
        }
    }

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    /// <summary>
    /// Waits until the timestamp has passed. Timers on Linux run on a coarse clock and may fire a few milliseconds
    /// early, so the wait repeats until the high-resolution clock agrees: a configured delay is never cut short.
    /// </summary>
    public static async Task DelayUntil(long timestamp, CancellationToken cancellation)
    {
        long remaining;
        while ((remaining = timestamp - Stopwatch.GetTimestamp()) > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(Seconds(remaining), 0.001)), cancellation);
        }
    }
}
