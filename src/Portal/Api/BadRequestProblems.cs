using System.Text.Json;

namespace Portal.Api;

/// <summary>
/// A request the API cannot even read (malformed JSON, a number where text belongs, a route or query value of the
/// wrong type) is the caller's error: it answers 400 with problem details naming the field, in every environment,
/// instead of an empty 400 in production and an exception page in development.
/// </summary>
public static class BadRequestProblems
{
    public static IServiceCollection AddBadRequestProblems(this IServiceCollection services) =>
        // Binding failures throw, so the middleware below can answer them with the reason.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

    public static WebApplication UseBadRequestProblems(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (BadHttpRequestException e) when (!http.Response.HasStarted)
            {
                http.Response.Clear();
                var problem = Results.ValidationProblem(
                    new Dictionary<string, string[]> { [FieldOf(e)] = [Explain(e)] },
                    statusCode: e.StatusCode,
                    title: "The request could not be read.");
                await problem.ExecuteAsync(http);
            }
        });
        return app;
    }

    /// <summary>The JSON path of the offending value when the body was the problem (<c>$.expiresInDays</c>), else the parameter.</summary>
    private static string FieldOf(BadHttpRequestException e) => e.InnerException switch
    {
        JsonException { Path: { Length: > 0 } path } => path,
        _ => ParameterName(e.Message) ?? "request",
    };

    private static string Explain(BadHttpRequestException e) => e.InnerException switch
    {
        JsonException json => $"{e.Message} {FirstSentence(json.Message)}",
        _ => e.Message,
    };

    /// <summary>Messages read 'Failed to bind parameter "Guid id" from "abc".': the parameter's name is the second word in the quotes.</summary>
    private static string? ParameterName(string message)
    {
        var start = message.IndexOf('"', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('"', start + 1);
        return end < 0 ? null : message[(start + 1)..end].Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
    }

    private static string FirstSentence(string text)
    {
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? text : text[..(end + 1)];
    }
}
