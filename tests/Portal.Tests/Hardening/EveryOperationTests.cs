using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Tests.Support;

namespace Portal.Tests.Hardening;

/// <summary>
/// Walks every operation of the portal's OpenAPI document as every kind of caller, with generated hostile inputs in
/// path, query and body. Whatever is sent, the answer is a success or the caller's error — never a server error —
/// and a caller's error carries problem details. The calls are real: they may change this test's portal.
/// </summary>
public sealed class EveryOperationTests(PortalApp app) : IClassFixture<PortalApp>, IAsyncLifetime
{
    /// <summary>Per operation; the caller is part of each generated input. Fixed, so the test's length is too.</summary>
    private const int IterationsPerOperation = 40;

    private static readonly string[] Callers = ["admin@demo.local", "dev@demo.local", "auditor@demo.local", "support@portal.local", "operator@portal.local", "anonymous"];

    private readonly Dictionary<string, HttpClient> _clients = [];
    private IReadOnlyList<ApiOperation> _operations = [];
    private HostileInputs _inputs = default!;

    public async Task InitializeAsync()
    {
        foreach (var caller in Callers)
        {
            var client = app.NewClient();
            client.Timeout = TimeSpan.FromSeconds(30);
            if (caller != "anonymous")
            {
                await client.SignInAsync(caller);
            }

            _clients[caller] = client;
        }

        var document = JsonNode.Parse(await _clients["anonymous"].GetStringAsync("openapi/v1.json"))!;
        _operations = ApiOperation.AllIn(document);
        _inputs = new HostileInputs(await KnownIdsAsync());
    }

    public Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        return Task.CompletedTask;
    }

    [Fact]
    public void TheDocument_ListsTheManagementApi()
    {
        Assert.Contains(_operations, o => o.Method == "POST" && o.PathTemplate == "/api/v1/keys");
        Assert.Contains(_operations, o => o.Method == "POST" && o.PathTemplate == "/api/v1/endpoints/serverless" && o.Body is not null);
        Assert.True(_operations.Count > 30, $"Only {_operations.Count} operations in the document.");
    }

    [Fact]
    public async Task EveryOperation_AnswersHostileInputWithSuccessOrACallersError_NeverAServerError()
    {
        var failures = new List<string>();
        foreach (var operation in _operations)
        {
            try
            {
                await Probes(operation).SampleAsync(SendAsync, iter: IterationsPerOperation, threads: 1, print: p => p.ToString());
            }
            catch (Exception e)
            {
                failures.Add($"{operation}:{Environment.NewLine}{e.Message}{Environment.NewLine}{e.InnerException?.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine + Environment.NewLine, failures));
    }

    private Gen<Probe> Probes(ApiOperation operation)
    {
        var request = Gen.Select(Gen.OneOf(Callers), Gen.Const(operation.PathTemplate), Gen.Const(new List<string>()),
            (caller, path, query) => new Probe(caller, operation.Method, path, query, null));
        foreach (var parameter in operation.Parameters)
        {
            request = parameter.In switch
            {
                "path" => Gen.Select(request, _inputs.Raw(parameter.Schema), (probe, value) =>
                    probe with { Path = probe.Path.Replace(PathPlaceholder(probe.Path, parameter.Name), Uri.EscapeDataString(value)) }),
                "query" => Gen.Select(request, Gen.Frequency((1, Gen.Const((string?)null)), (3, _inputs.Raw(parameter.Schema).Select(v => (string?)v))), (probe, value) =>
                    value is null ? probe : probe with { Query = [.. probe.Query, $"{Uri.EscapeDataString(parameter.Name)}={Uri.EscapeDataString(value)}"] }),
                _ => request,
            };
        }

        return operation.Body is { } body ? Gen.Select(request, _inputs.Body(body), (probe, json) => probe with { Body = json }) : request;
    }

    /// <summary>The route's <c>{name}</c> or <c>{name:constraint}</c>.</summary>
    private static string PathPlaceholder(string path, string name)
    {
        var start = path.IndexOf("{" + name, StringComparison.Ordinal);
        return start < 0 ? "{" + name + "}" : path[start..(path.IndexOf('}', start) + 1)];
    }

    private async Task SendAsync(Probe probe)
    {
        using var request = new HttpRequestMessage(new HttpMethod(probe.Method), probe.Url.TrimStart('/'));
        if (probe.Body is { } body)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await _clients[probe.Caller].SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return; // A success may be a stream that does not end; its body is not the question here.
        }

        var text = await response.Content.ReadAsStringAsync();
        if (status is < 400 or >= 500)
        {
            throw new InvalidOperationException($"Answered {status}: {Shorten(text)}");
        }

        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType is { } media && media != "application/problem+json")
        {
            throw new InvalidOperationException($"Answered {status} as {media}, not problem details: {Shorten(text)}");
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : $"{text[..300]}… ({text.Length} chars)";

    private async Task<IReadOnlyList<string>> KnownIdsAsync()
    {
        // Ids of both tenants, so a generated request may name another tenant's row under its own tenant.
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var acme = await db.Tenants.Where(t => t.Slug == "acme").Select(t => t.Id).SingleAsync();
        await _clients["admin@demo.local"].PostAsJsonAsync($"api/v1/keys?tenantId={acme}", new { name = "acme key" });
        await _clients["admin@demo.local"].PostAsJsonAsync($"api/v1/endpoints/serverless?tenantId={acme}",
            new { name = "acme endpoint", target = new { baseUrl = "http://127.0.0.1:9/v1", upstreamModel = "m" } });
        return (await db.Tenants.Select(t => t.Id).ToListAsync())
            .Concat(await db.Memberships.Select(m => m.Id).ToListAsync())
            .Concat(await db.Memberships.Select(m => m.UserId).ToListAsync())
            .Concat(await db.ApiKeys.Select(k => k.Id).ToListAsync())
            .Concat(await db.Endpoints.Select(e => e.Id).ToListAsync())
            .Concat(await db.Targets.Select(t => t.Id).ToListAsync())
            .Select(id => id.ToString())
            .Distinct()
            .ToList();
    }

    /// <summary>One generated request, printed as a person would retype it.</summary>
    private sealed record Probe(string Caller, string Method, string Path, List<string> Query, string? Body)
    {
        public string Url => Query.Count == 0 ? Path : $"{Path}?{string.Join('&', Query)}";

        public override string ToString() => $"as {Caller}: {Method} {Shorten(Url)}{(Body is null ? "" : " " + Shorten(Body))}";
    }
}
