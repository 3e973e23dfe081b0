namespace Portal.Core.Gateway;

/// <summary>The OpenAI-compatible operations the gateway serves.</summary>
public enum GatewayOperation
{
    Chat,
    TextCompletion,
    Embeddings,
    Models,
}

public static class GatewayOperationNames
{
    /// <summary>The OpenTelemetry GenAI <c>gen_ai.operation.name</c> value.</summary>
    public static string TelemetryName(this GatewayOperation operation) => operation switch
    {
        GatewayOperation.Chat => "chat",
        GatewayOperation.TextCompletion => "text_completion",
        GatewayOperation.Embeddings => "embeddings",
        GatewayOperation.Models => "models",
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    /// <summary>Chat and text completions: they generate tokens, so they have a time to first token.</summary>
    public static bool Generates(this GatewayOperation operation) =>
        operation is GatewayOperation.Chat or GatewayOperation.TextCompletion;

    /// <summary>The path under an OpenAI base URL (<c>…/v1/</c>).</summary>
    public static string UpstreamPath(this GatewayOperation operation) => operation switch
    {
        GatewayOperation.Chat => "chat/completions",
        GatewayOperation.TextCompletion => "completions",
        GatewayOperation.Embeddings => "embeddings",
        GatewayOperation.Models => "models",
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };
}
