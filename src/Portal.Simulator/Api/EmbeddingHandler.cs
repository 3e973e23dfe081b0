using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using Portal.Simulator.Engine;
using Portal.Simulator.Metrics;

namespace Portal.Simulator.Api;

/// <summary>
/// Serves <c>/v1/embeddings</c> the way vLLM's OpenAI server answers an embedding model: one unit-length vector of the
/// profile's dimensions per input, the same vector for the same input and seed. It pays the same costs as a completion's
/// prompt: the reload after scale-to-zero, a running slot, and prefill for all the inputs' tokens; there is no decode.
/// </summary>
internal sealed class EmbeddingHandler(InferenceEngine engine, SimulatorMetrics metrics)
{
    public async Task HandleAsync(HttpContext context)
    {
        var arrival = Stopwatch.GetTimestamp();
        if (!engine.IsReady)
        {
            await OpenAiError.Loading().WriteAsync(context.Response);
            return;
        }

        var (request, error) = await EmbeddingRequest.ReadAsync(context.Request, engine.Options);
        if (request is null)
        {
            await error!.WriteAsync(context.Response);
            return;
        }

        var random = engine.NextRandom();
        var (residentAt, coldStart) = engine.Arrive();
        var cancellation = context.RequestAborted;
        try
        {
            context.Response.Headers[CompletionHandler.ColdStartHeader] = coldStart ? "true" : "false";
            context.Response.Headers[CompletionHandler.NoisyNeighborHeader] = engine.NoisyNeighborActive ? "true" : "false";
            if (coldStart)
            {
                metrics.ColdStart();
            }

            await CompletionHandler.DelayUntil(residentAt, cancellation);
            if (!await engine.TryStartAsync(cancellation))
            {
                await OpenAiError.QueueFull().WriteAsync(context.Response);
                return;
            }

            try
            {
                var options = engine.Options;
                var tokens = request.PromptTokens;
                metrics.AddPromptTokens(tokens);
                var prefill = DelayModel.PrefillSeconds(options, tokens, random.NextLogNormal(options.TtftJitter), engine.Slowdown());
                await CompletionHandler.DelayUntil(Stopwatch.GetTimestamp() + engine.ToTicks(prefill), cancellation);
                context.Response.ContentType = "application/json";
                Write(context.Response.BodyWriter, request, "embd-" + random.NextUInt64().ToString("x16"));
                metrics.EndToEndLatency.Observe(Stopwatch.GetElapsedTime(arrival).TotalSeconds);
                metrics.Finished("stop");
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

    /// <summary>The input's vector: Gaussian components drawn from the seed and the input, scaled to unit length.</summary>
    public static float[] Vector(int seed, uint inputHash, int dimensions)
    {
        var random = DeterministicRandom.For(seed, inputHash);
        var vector = new float[dimensions];
        var sum = 0.0;
        for (var i = 0; i < dimensions; i++)
        {
            var value = random.NextGaussian();
            vector[i] = (float)value;
            sum += value * value;
        }

        var scale = sum > 0 ? 1 / Math.Sqrt(sum) : 0;
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = (float)(vector[i] * scale);
        }

        return vector;
    }

    private void Write(System.IO.Pipelines.PipeWriter writer, EmbeddingRequest request, string id)
    {
        var options = engine.Options;
        using var json = new Utf8JsonWriter(writer);
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("object", "list");
        json.WriteNumber("created", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        json.WriteString("model", options.ServedModelName);
        json.WriteStartArray("data");
        for (var i = 0; i < request.Inputs.Count; i++)
        {
            var vector = Vector(options.Seed, request.Inputs[i].Hash, options.EmbeddingDimensions);
            json.WriteStartObject();
            json.WriteNumber("index", i);
            json.WriteString("object", "embedding");
            if (request.Base64)
            {
                var bytes = new byte[vector.Length * sizeof(float)];
                for (var d = 0; d < vector.Length; d++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(d * sizeof(float)), vector[d]);
                }

                json.WriteBase64String("embedding", bytes);
            }
            else
            {
                json.WriteStartArray("embedding");
                foreach (var value in vector)
                {
                    json.WriteNumberValue(value);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", request.PromptTokens);
        json.WriteNumber("total_tokens", request.PromptTokens);
        json.WriteNumber("completion_tokens", 0);
        json.WriteNull("prompt_tokens_details");
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
