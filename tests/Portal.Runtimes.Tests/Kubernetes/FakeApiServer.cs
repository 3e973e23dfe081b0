using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portal.Runtimes.Tests.Kubernetes;

/// <summary>
/// Stands in for a Kubernetes API server on loopback: keeps objects in memory by path, answers create (409 when it
/// exists), read (404 when missing), list (with an equality label selector), replace, merge patch, scale and delete,
/// and records every request.
/// </summary>
internal sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _objects = new();
    private readonly ConcurrentDictionary<string, string> _logs = new();
    private int _resourceVersion;

    private FakeApiServer(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static async Task<FakeApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeApiServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address);
        return server;
    }

    public void Put(string path, JsonObject value) => _objects[path] = value;

    /// <summary>What <c>GET {pod}/log</c> answers, as the kubelet would stream it.</summary>
    public void PutLog(string podPath, string text) => _logs[podPath + "/log"] = text;

    public JsonObject? Get(string path) => _objects.TryGetValue(path, out var value) ? value : null;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!.TrimEnd('/');
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        Requests.Enqueue(new RecordedRequest(context.Request.Method, path, context.Request.QueryString.Value ?? string.Empty, body));
        JsonObject? json = body.Length > 0 ? JsonNode.Parse(body)!.AsObject() : null;

        switch (context.Request.Method)
        {
            case "POST":
                var key = path + "/" + json!["metadata"]!["name"]!.GetValue<string>();
                if (_objects.ContainsKey(key))
                {
                    await Status(context, HttpStatusCode.Conflict, "AlreadyExists");
                    return;
                }

                Stamp(json);
                if (json["kind"]?.GetValue<string>() == "Service")
                {
                    json["spec"]!["clusterIP"] = "10.96.0.42";
                }

                _objects[key] = json;
                await Write(context, HttpStatusCode.Created, json);
                return;

            case "GET" when _logs.TryGetValue(path, out var log):
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync(log);
                return;

            case "GET" when _objects.TryGetValue(path, out var existing):
                await Write(context, HttpStatusCode.OK, existing);
                return;

            case "GET" when path.EndsWith("/pods", StringComparison.Ordinal) || path.EndsWith("/deployments", StringComparison.Ordinal):
                await Write(context, HttpStatusCode.OK, List(path, context.Request.Query["labelSelector"].ToString()));
                return;

            case "PUT" when _objects.ContainsKey(path):
                Stamp(json!);
                _objects[path] = json!;
                await Write(context, HttpStatusCode.OK, json!);
                return;

            case "PATCH" when path.EndsWith("/scale", StringComparison.Ordinal) && _objects.TryGetValue(path[..^"/scale".Length], out var scaled):
                var replicas = json!["spec"]!["replicas"]!.GetValue<int>();
                scaled["spec"]!["replicas"] = replicas;
                await Write(context, HttpStatusCode.OK, new JsonObject
                {
                    ["apiVersion"] = "autoscaling/v1",
                    ["kind"] = "Scale",
                    ["metadata"] = new JsonObject { ["name"] = scaled["metadata"]!["name"]!.GetValue<string>() },
                    ["spec"] = new JsonObject { ["replicas"] = replicas },
                });
                return;

            case "PATCH" when _objects.TryGetValue(path, out var patched):
                Merge(patched, json!);
                await Write(context, HttpStatusCode.OK, patched);
                return;

            case "DELETE" when _objects.TryRemove(path, out var deleted):
                // Like the real server: a deleted Service comes back as itself, other kinds as a Status.
                await Write(context, HttpStatusCode.OK, deleted["kind"]?.GetValue<string>() == "Service"
                    ? deleted
                    : new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Success" });
                return;

            default:
                await Status(context, HttpStatusCode.NotFound, "NotFound");
                return;
        }
    }

    private JsonObject List(string path, string selector)
    {
        var items = new JsonArray();
        var wanted = selector.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Split('=')).ToList();
        foreach (var (key, value) in _objects.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            var labels = value["metadata"]?["labels"] as JsonObject;
            if (key.StartsWith(path + "/", StringComparison.Ordinal)
                && !key[(path.Length + 1)..].Contains('/')
                && wanted.All(w => labels?[w[0]]?.GetValue<string>() == w[1]))
            {
                items.Add(value.DeepClone());
            }
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["metadata"] = new JsonObject(), ["items"] = items };
    }

    private void Stamp(JsonObject json) =>
        json["metadata"]!["resourceVersion"] = Interlocked.Increment(ref _resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is JsonObject child && target[key] is JsonObject existing)
            {
                Merge(existing, child);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    private static Task Status(HttpContext context, HttpStatusCode code, string reason) =>
        Write(context, code, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["status"] = "Failure",
            ["reason"] = reason,
            ["code"] = (int)code,
        });

    private static async Task Write(HttpContext context, HttpStatusCode code, JsonObject json)
    {
        context.Response.StatusCode = (int)code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json.ToJsonString());
    }
}

internal sealed record RecordedRequest(string Method, string Path, string Query, string Body)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public override string ToString() => $"{Method} {Path}";
}
