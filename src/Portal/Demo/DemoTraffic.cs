using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Deployments;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Inference;

namespace Portal.Demo;

/// <summary>One endpoint's share of the generator, as the Overview card shows it.</summary>
public sealed record DemoTargetState(string Endpoint, string Kind, string Phase, DateTimeOffset? PhaseEndsAt, long Sent, long Errors);

/// <summary>
/// Realistic chat traffic through the portal's own gateway: a few concurrent conversations per endpoint (streaming and
/// not, varied prompts and lengths), in busy stretches separated by idle gaps long enough for the serverless simulator
/// to scale to zero, so the next stretch begins with a cold start. Every request is a real HTTP call to /v1.
/// </summary>
public sealed class DemoTraffic(
    IOptions<DemoOptions> options,
    IDbContextFactory<PortalDbContext> dbFactory,
    GatewaySnapshot snapshot,
    TimeProvider clock,
    ILogger<DemoTraffic> logger) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TargetCounters> _targets = new(StringComparer.Ordinal);
    private Uri? _gateway;
    private DemoSetup? _setup;
    private CancellationTokenSource? _stop;
    private Task _running = Task.CompletedTask;

    /// <summary>Raised when the state shown on the Overview card changes (phases, counters).</summary>
    public event Action? Changed;

    public bool IsConfigured => _setup is not null;

    public bool IsRunning { get; private set; }

    public Guid? TenantId => _setup?.TenantId;

    /// <summary>What the demo is doing right now, e.g. "Deploying the dedicated endpoint".</summary>
    public string Status { get; private set; } = "Not started";

    public string? LastError { get; private set; }

    public long Sent => Snapshot().Sum(t => t.Sent);

    public long Errors => Snapshot().Sum(t => t.Errors);

    public IReadOnlyList<DemoTargetState> Snapshot()
    {
        lock (_gate)
        {
            return _targets.Values.Select(t => new DemoTargetState(t.Target.Endpoint, t.Target.Kind, t.Phase, t.PhaseEndsAt,
                Interlocked.Read(ref t.Sent), Interlocked.Read(ref t.Errors))).ToList();
        }
    }

    public void SetStatus(string status)
    {
        Status = status;
        Changed?.Invoke();
    }

    public void Configure(Uri gateway, DemoSetup setup)
    {
        lock (_gate)
        {
            _gateway = gateway;
            _setup = setup;
            foreach (var target in setup.Targets)
            {
                _targets.TryAdd(target.Endpoint, new TargetCounters(target));
            }
        }
    }

    public void Start()
    {
        lock (_gate)
        {
            if (IsRunning || _setup is null || _gateway is null)
            {
                return;
            }

            _stop = new CancellationTokenSource();
            var setup = _setup;
            var gateway = _gateway;
            var token = _stop.Token;
            _running = Task.WhenAll(_targets.Values.Select(t => Task.Run(() => RunTargetAsync(gateway, setup.ApiKey, t, token), token)));
            IsRunning = true;
        }

        logger.LogInformation("Demo traffic started against {Gateway}", _gateway);
        Changed?.Invoke();
    }

    public async Task StopAsync()
    {
        Task running;
        lock (_gate)
        {
            if (!IsRunning)
            {
                return;
            }

            _stop!.Cancel();
            running = _running;
            IsRunning = false;
        }

        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
            // Stopping cancels requests in flight.
        }

        lock (_gate)
        {
            foreach (var target in _targets.Values)
            {
                target.SetPhase("Stopped", null);
            }
        }

        logger.LogInformation("Demo traffic stopped");
        Changed?.Invoke();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop?.Dispose();
    }

    private async Task RunTargetAsync(Uri gateway, string apiKey, TargetCounters target, CancellationToken ct)
    {
        var traffic = options.Value.Traffic;
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            BaseAddress = new Uri(gateway, "v1/"),
            Timeout = TimeSpan.FromMinutes(2),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        try
        {
            if (target.Target.DeploymentId is { } deploymentId)
            {
                await WaitForReadyReplicaAsync(target, deploymentId, ct);
            }

            // The serverless simulator was warm when it started; a first gap lets it go cold, so the first stretch
            // shows a cold start within a minute instead of after a whole cycle.
            var busy = target.Target.Kind != "Serverless";
            while (!ct.IsCancellationRequested)
            {
                var seconds = (busy ? traffic.BusySeconds : traffic.IdleGapSeconds) * (0.9 + Random.Shared.NextDouble() * 0.2);
                var ends = clock.GetUtcNow().AddSeconds(seconds);
                Phase(target, busy ? "Busy" : "Idle gap", ends);
                if (busy)
                {
                    var conversations = Enumerable.Range(0, Math.Max(1, traffic.Conversations))
                        .Select(_ => ConverseUntilAsync(http, target, ends, ct));
                    await Task.WhenAll(conversations);
                }
                else
                {
                    await Task.Delay(TimeSpan.FromSeconds(seconds), clock, ct);
                }

                busy = !busy;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task WaitForReadyReplicaAsync(TargetCounters target, Guid deploymentId, CancellationToken ct)
    {
        Phase(target, "Waiting for a Ready replica", null);
        while (true)
        {
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                if (await db.Replicas.AnyAsync(r => r.DeploymentId == deploymentId && r.Phase == ReplicaPhase.Ready, ct))
                {
                    break;
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(1), clock, ct);
        }

        await snapshot.RefreshAsync(ct);
    }

    /// <summary>One conversation: a few turns, each request waiting for the answer, then a new conversation.</summary>
    private async Task ConverseUntilAsync(HttpClient http, TargetCounters target, DateTimeOffset ends, CancellationToken ct)
    {
        var traffic = options.Value.Traffic;
        var meanPause = Math.Max(1, traffic.Conversations) / Math.Max(0.01, traffic.RequestsPerSecond);
        // Conversations do not start in lockstep.
        await Task.Delay(TimeSpan.FromSeconds(Random.Shared.NextDouble() * Math.Min(meanPause, 2)), clock, ct);
        var messages = NewConversation();
        while (clock.GetUtcNow() < ends)
        {
            var reply = await SendAsync(http, target, messages, ct);
            if (reply is null || messages.Count > 8)
            {
                messages = NewConversation();
            }
            else
            {
                messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = reply.Length > 400 ? reply[..400] : reply });
                messages.Add(new JsonObject { ["role"] = "user", ["content"] = Pick(DemoPrompts.FollowUps) });
            }

            var pause = -Math.Log(1 - Random.Shared.NextDouble()) * meanPause;
            var remaining = ends - clock.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(Math.Min(pause, remaining.TotalSeconds)), clock, ct);
        }
    }

    private async Task<string?> SendAsync(HttpClient http, TargetCounters target, JsonArray messages, CancellationToken ct)
    {
        var stream = Random.Shared.NextDouble() < options.Value.Traffic.StreamingShare;
        var body = new JsonObject
        {
            ["model"] = target.Target.Endpoint,
            ["messages"] = messages.DeepClone(),
            ["max_tokens"] = Pick(DemoPrompts.MaxTokens),
            ["temperature"] = 0.7,
            ["stream"] = stream,
        };
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "chat/completions") { Content = JsonContent.Create(body) };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                Failed(target, $"{target.Target.Endpoint}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                return null;
            }

            var reply = stream ? await ReadStreamAsync(response, ct) : ReadMessage(await response.Content.ReadAsStringAsync(ct));
            Interlocked.Increment(ref target.Sent);
            Changed?.Invoke();
            return reply;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or IOException
            || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            Failed(target, $"{target.Target.Endpoint}: {e.Message}");
            return null;
        }
    }

    private static async Task<string?> ReadStreamAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = new System.Text.StringBuilder();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal) || line == "data: [DONE]")
            {
                continue;
            }

            var chunk = JsonNode.Parse(line["data: ".Length..]);
            if (chunk?["error"] is { } error)
            {
                throw new HttpRequestException($"stream ended with an error: {error["message"]}");
            }

            text.Append(chunk?["choices"]?[0]?["delta"]?["content"]?.GetValue<string>());
        }

        return text.ToString();
    }

    private static string? ReadMessage(string json) => JsonNode.Parse(json)?["choices"]?[0]?["message"]?["content"]?.GetValue<string>();

    private void Failed(TargetCounters target, string message)
    {
        Interlocked.Increment(ref target.Sent);
        Interlocked.Increment(ref target.Errors);
        LastError = message.Length > 300 ? message[..300] : message;
        logger.LogDebug("Demo request failed: {Message}", LastError);
        Changed?.Invoke();
    }

    private void Phase(TargetCounters target, string phase, DateTimeOffset? ends)
    {
        lock (_gate)
        {
            target.SetPhase(phase, ends);
        }

        Changed?.Invoke();
    }

    private static JsonArray NewConversation() =>
    [
        new JsonObject { ["role"] = "system", ["content"] = DemoPrompts.SystemPrompt },
        new JsonObject { ["role"] = "user", ["content"] = Pick(DemoPrompts.Openers) },
    ];

    private static T Pick<T>(T[] items) => items[Random.Shared.Next(items.Length)];

    private sealed class TargetCounters(DemoTarget target)
    {
        public long Sent;
        public long Errors;

        public DemoTarget Target { get; } = target;

        public string Phase { get; private set; } = "Not started";

        public DateTimeOffset? PhaseEndsAt { get; private set; }

        public void SetPhase(string phase, DateTimeOffset? ends)
        {
            Phase = phase;
            PhaseEndsAt = ends;
        }
    }
}
