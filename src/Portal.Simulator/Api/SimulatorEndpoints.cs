using System.Text.Json;
using Portal.Simulator.Engine;
using Portal.Simulator.Metrics;

namespace Portal.Simulator.Api;

internal static class SimulatorEndpoints
{
    public static void MapSimulatorEndpoints(this IEndpointRouteBuilder app)
    {
        var engine = app.ServiceProvider.GetRequiredService<InferenceEngine>();
        var metrics = app.ServiceProvider.GetRequiredService<SimulatorMetrics>();
        var completions = app.ServiceProvider.GetRequiredService<CompletionHandler>();
        var embeddings = app.ServiceProvider.GetRequiredService<EmbeddingHandler>();
        var journal = app.ServiceProvider.GetRequiredService<ArrivalJournal>();
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        app.MapPost("/v1/chat/completions", context => completions.HandleAsync(context, CompletionKind.Chat));
        app.MapPost("/v1/completions", context => completions.HandleAsync(context, CompletionKind.Text));
        app.MapPost("/v1/embeddings", embeddings.HandleAsync);
        app.MapGet("/v1/models", async context =>
        {
            context.Response.ContentType = "application/json";
            await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
            json.WriteStartObject();
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            json.WriteStartObject();
            json.WriteString("id", engine.Options.ServedModelName);
            json.WriteString("object", "model");
            json.WriteNumber("created", created);
            json.WriteString("owned_by", "vllm");
            json.WriteString("root", engine.Options.ServedModelName);
            json.WriteNull("parent");
            json.WriteNumber("max_model_len", engine.Options.MaxModelLen);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        });
        app.MapGet("/health", context =>
        {
            context.Response.StatusCode = engine.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        });
        // Token counts and times only, outside /v1 like /metrics: a replay reads what the engine saw.
        app.MapGet("/simulator/arrivals", () => Results.Json(journal.Snapshot().Select(a => new
        {
            at = a.At, kind = a.Kind, promptTokens = a.PromptTokens, maxTokens = a.MaxTokens, stream = a.Stream, coldStart = a.ColdStart,
            queueMs = a.QueueMs, refused = a.Refused, firstTokenDueMs = a.FirstTokenDueMs,
        })));
        app.MapGet("/metrics", context =>
        {
            context.Response.ContentType = SimulatorMetrics.ContentType;
            return context.Response.WriteAsync(metrics.Render(), context.RequestAborted);
        });
    }
}
