using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Deployments;
using Portal.Core.Traffic;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Inference;

namespace Portal.Demo;

/// <summary>One endpoint's share of the generator, as the Overview card shows it.</summary>
public sealed record DemoTargetState(string Endpoint, string Kind, string Phase, DateTimeOffset? PhaseEndsAt, long Sent, long Errors);

/// <summary>
/// Realistic chat traffic through the portal's own gateway: a few concurrent conversations per endpoint (streaming and
/// not, varied prompts and lengths), in busy stretches separated by idle gaps long enough for the serverless simulator
/// to scale to zero, so the next stretch begins with a cold start. Every request is a real HTTP call to /v1
/// (<see cref="DemoChatClient"/>); when to send what is <see cref="TrafficSchedule"/>'s decision.
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
        var schedule = new TrafficSchedule(
            new TrafficShape(traffic.Conversations, traffic.RequestsPerSecond, traffic.BusySeconds, traffic.IdleGapSeconds, traffic.StreamingShare),
            Random.Shared);
        using var client = new DemoChatClient(gateway, apiKey);
        try
        {
            if (target.Target.DeploymentId is { } deploymentId)
            {
                await WaitForReadyReplicaAsync(target, deploymentId, ct);
            }

            var busy = TrafficSchedule.StartsBusy(serverless: target.Target.Kind == "Serverless");
            while (!ct.IsCancellationRequested)
            {
                var length = schedule.PhaseLength(busy);
                var ends = clock.GetUtcNow() + length;
                Phase(target, busy ? "Busy" : "Idle gap", ends);
                if (busy)
                {
                    await Task.WhenAll(Enumerable.Range(0, schedule.ConversationCount)
                        .Select(_ => ConverseUntilAsync(client, schedule, target, ends, ct)));
                }
                else
                {
                    await Task.Delay(length, clock, ct);
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

    /// <summary>One conversation after another until the busy stretch ends: a few turns, each waiting for its answer.</summary>
    private async Task ConverseUntilAsync(DemoChatClient client, TrafficSchedule schedule, TargetCounters target, DateTimeOffset ends, CancellationToken ct)
    {
        await Task.Delay(schedule.StartOffset(), clock, ct);
        var messages = NewConversation(schedule);
        while (clock.GetUtcNow() < ends)
        {
            var reply = await client.ChatAsync(target.Target.Endpoint, messages, schedule.Pick(DemoPrompts.MaxTokens), schedule.Streams(), ct);
            Count(target, reply);
            if (TrafficSchedule.StartsNewConversation(reply.Answered, messages.Count))
            {
                messages = NewConversation(schedule);
            }
            else
            {
                var text = reply.Text ?? "";
                messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = text.Length > 400 ? text[..400] : text });
                messages.Add(new JsonObject { ["role"] = "user", ["content"] = schedule.Pick(DemoPrompts.FollowUps) });
            }

            if (schedule.NextPause(ends - clock.GetUtcNow()) is not { } pause)
            {
                break;
            }

            await Task.Delay(pause, clock, ct);
        }
    }

    private void Count(TargetCounters target, DemoReply reply)
    {
        Interlocked.Increment(ref target.Sent);
        if (reply.Error is { } error)
        {
            Interlocked.Increment(ref target.Errors);
            LastError = error.Length > 300 ? error[..300] : error;
            logger.LogDebug("Demo request failed: {Message}", LastError);
        }

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

    private static JsonArray NewConversation(TrafficSchedule schedule) =>
    [
        new JsonObject { ["role"] = "system", ["content"] = DemoPrompts.SystemPrompt },
        new JsonObject { ["role"] = "user", ["content"] = schedule.Pick(DemoPrompts.Openers) },
    ];

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
