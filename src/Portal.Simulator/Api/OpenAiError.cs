using System.Text.Json;

namespace Portal.Simulator.Api;

/// <summary>An error answered in OpenAI's shape: <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal sealed record OpenAiError(int Status, string Message, string Type, string? Param = null, string? Code = null)
{
    public static OpenAiError BadRequest(string message, string? param = null) =>
        new(StatusCodes.Status400BadRequest, message, "invalid_request_error", param);

    public static OpenAiError Unauthorized() =>
        new(StatusCodes.Status401Unauthorized, "Incorrect API key provided.", "invalid_request_error", null, "invalid_api_key");

    public static OpenAiError ModelNotFound(string model) =>
        new(StatusCodes.Status404NotFound, $"The model `{model}` does not exist.", "invalid_request_error", "model", "model_not_found");

    public static OpenAiError QueueFull() =>
        new(StatusCodes.Status429TooManyRequests, "The engine's waiting queue is full. Retry later.", "rate_limit_error", null, "rate_limit_exceeded");

    public static OpenAiError Loading() =>
        new(StatusCodes.Status503ServiceUnavailable, "The model is still loading its weights.", "server_error", null, "model_loading");

    public static OpenAiError Injected(int status) => status switch
    {
        StatusCodes.Status429TooManyRequests => new(status, "Rate limit reached (injected failure).", "rate_limit_error", null, "rate_limit_exceeded"),
        StatusCodes.Status503ServiceUnavailable => new(status, "The engine is overloaded (injected failure).", "server_error", null, "service_unavailable"),
        _ => new(status, "The server had an error while processing your request (injected failure).", "server_error"),
    };

    public async Task WriteAsync(HttpResponse response)
    {
        response.StatusCode = Status;
        response.ContentType = "application/json";
        if (Status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
        {
            response.Headers.RetryAfter = "1";
        }

        var json = new Utf8JsonWriter(response.BodyWriter);
        await using (json.ConfigureAwait(false))
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteString("message", Message);
            json.WriteString("type", Type);
            json.WriteString("param", Param);
            json.WriteString("code", Code);
            json.WriteEndObject();
            json.WriteEndObject();
        }
    }
}
