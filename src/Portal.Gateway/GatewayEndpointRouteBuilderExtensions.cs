using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Gateway;
using Portal.Gateway.Handling;

namespace Portal.Gateway;

public static class GatewayEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the OpenAI-compatible API under <paramref name="prefix"/>: <c>POST chat/completions</c>, <c>POST completions</c>,
    /// <c>POST embeddings</c> and <c>GET models</c>. The gateway authenticates inference keys itself, so the group allows
    /// anonymous callers as far as the host's authorization is concerned. Keep response compression and response
    /// buffering away from this group: streams must flow chunk by chunk.
    /// </summary>
    public static RouteGroupBuilder MapPortalGateway(this IEndpointRouteBuilder endpoints, string prefix = "/v1")
    {
        var handler = endpoints.ServiceProvider.GetRequiredService<GatewayHandler>();
        var group = endpoints.MapGroup(prefix);
        group.MapPost("/chat/completions", (RequestDelegate)(context => handler.HandleAsync(context, GatewayOperation.Chat)));
        group.MapPost("/completions", (RequestDelegate)(context => handler.HandleAsync(context, GatewayOperation.TextCompletion)));
        group.MapPost("/embeddings", (RequestDelegate)(context => handler.HandleAsync(context, GatewayOperation.Embeddings)));
        group.MapGet("/models", (RequestDelegate)handler.ListModelsAsync);
        group.AllowAnonymous();
        return group;
    }
}
