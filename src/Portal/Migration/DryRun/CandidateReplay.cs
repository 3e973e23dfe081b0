using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Portal.Core.Deployments;
using Portal.Core.DryRun;
using Portal.Core.Gateway;
using Portal.Core.Scaling;
using Portal.Gateway.Routing;
using Portal.Gateway.Seams;
using Portal.Runtimes;

namespace Portal.Migration.DryRun;

/// <summary>
/// One candidate's replay: starts its baseline simulators with the local runtime at the replay's time scale and the
/// candidate's speed (<see cref="CandidatePerformance"/>), waits until they answer, replays the schedule through the
/// gateway on the candidate's lane while the autoscaler's own rule (<see cref="Autoscaler.Decide"/>, on the replay's
/// simulated clock) adds and drains burst replicas, then collects what the gateway measured and what each engine saw,
/// and stops everything it started.
/// </summary>
internal sealed class CandidateReplay(
    IReplicaRuntime runtime, GatewayLoad load, HttpClient client, Uri gateway, Guid tenantId, ResolvedDeployment deployment,
    DryRunCandidate candidate, CandidateSpeed speed, ReplaySchedule schedule, DryRunLane lane, ILogger logger)
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan SamplesTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Running> _replicas = new();
    private readonly ConcurrentBag<EngineArrival> _arrivals = [];
    private readonly List<Task> _scaling = [];
    private readonly Lock _lock = new();
    private DateTimeOffset _began;
    private int _starting;

    private sealed record Running(ReplicaHandle Handle, bool Burst, DateTimeOffset Started)
    {
        public DateTimeOffset? Stopped { get; set; }
    }

    public async Task<(IReadOnlyList<ReplayedRequest> Gateway, IReadOnlyList<EngineArrival> Engine, IReadOnlyList<ReplayedReplica> Replicas)> RunAsync(
        Action<int> sent, CancellationToken cancellationToken)
    {
        using var stopScaling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var scaler = Task.CompletedTask;
        try
        {
            var baseline = await Task.WhenAll(Enumerable.Range(0, deployment.Spec.BaselineReplicas)
                .Select(_ => StartAsync(burst: false, cancellationToken)));
            lane.Replicas = [.. baseline];

            _began = DateTimeOffset.UtcNow;
            var origin = Stopwatch.GetTimestamp();
            if (deployment.Spec.MaxReplicas > deployment.Spec.BaselineReplicas)
            {
                scaler = AutoscaleAsync(stopScaling.Token);
            }

            await DryRunReplayer.RunAsync(client, gateway, lane, schedule, origin, sent, cancellationToken);
            // The window goes on after its last request: replicas are paid for, and burst replicas drain, until it ends.
            var left = schedule.ReplaySpan - Stopwatch.GetElapsedTime(origin);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, cancellationToken);
            }

            await StopScalingAsync(stopScaling, scaler);
            await WaitForSamplesAsync(cancellationToken);
            foreach (var replica in _replicas.Values.Where(r => r.Stopped is null))
            {
                await CollectArrivalsAsync(replica, cancellationToken);
            }

            var measured = lane.Samples.Select(s => new ReplayedRequest(s.StatusCode, s.TtftMs, s.Burst)).ToList();
            // A replica still running now ran to the window's end (null), which is where its cost stops.
            var spans = _replicas.Values.Select(r => new ReplayedReplica(r.Handle.ReplicaId, r.Burst, r.Started - _began, r.Stopped - _began))
                .OrderBy(r => r.Started).ToList();
            return (measured, [.. _arrivals.OrderBy(a => a.Offset)], spans);
        }
        finally
        {
            await StopScalingAsync(stopScaling, scaler);
            lane.Replicas = [];
            foreach (var replica in _replicas.Values.Where(r => r.Stopped is null))
            {
                await StopAsync(replica);
            }
        }
    }

    /// <summary>Ends the autoscaler and waits for the starts and drains it began, so nothing it started outlives the replay.</summary>
    private async Task StopScalingAsync(CancellationTokenSource stopScaling, Task scaler)
    {
        await stopScaling.CancelAsync();
        await scaler.ContinueWith(_ => { }, TaskScheduler.Default);
        Task[] pending;
        lock (_lock)
        {
            pending = [.. _scaling];
        }

        await Task.WhenAll(pending).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task<GatewayReplica> StartAsync(bool burst, CancellationToken cancellationToken)
    {
        var secret = RandomNumberGenerator.GetHexString(32, lowercase: true);
        var handle = await runtime.StartReplicaAsync(new ReplicaLaunch
        {
            TenantId = tenantId,
            // Every simulator of a run is filed under the run's id, so a later start finds what a crash left behind.
            DeploymentId = lane.RunId,
            Deployment = deployment,
            Dedicated = !candidate.ScaleToZero,
            ApiKey = secret,
            SimulatorProfile = speed.Profile,
            SimulatorTimeScale = schedule.TimeScale,
            SimulatorOverrides = speed.Derived ? speed.Figures : null,
        }, cancellationToken);
        var running = new Running(handle, burst, DateTimeOffset.UtcNow);
        _replicas[handle.ReplicaId] = running;
        var waited = Stopwatch.StartNew();
        while ((await runtime.GetStatusAsync(handle, cancellationToken)).State != ReplicaState.Ready)
        {
            if (waited.Elapsed > ReadyTimeout)
            {
                throw new TimeoutException($"The simulator for {candidate.DisplayName} did not become ready within {ReadyTimeout.TotalMinutes:0} minutes.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        return new GatewayReplica(handle.ReplicaId, new Uri(handle.BaseUri!, "v1/"), candidate.Region, ReplicaRouteState.Ready, burst) { ApiKey = secret };
    }

    /// <summary>The production autoscaler's rule and policy on the replay's simulated clock (5 simulated seconds a look).</summary>
    private async Task AutoscaleAsync(CancellationToken cancellationToken)
    {
        var policy = AutoscalePolicy.Default;
        var state = AutoscaleState.Initial;
        var desired = deployment.Spec.BaselineReplicas;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.02, 5 * schedule.TimeScale)));
        var origin = Stopwatch.GetTimestamp();
        var simulatedStart = DateTimeOffset.UtcNow;
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var now = simulatedStart + Stopwatch.GetElapsedTime(origin) * schedule.Compression;
            var ready = lane.Replicas;
            var inFlight = ready.Sum(r => load.InFlightOn(r.Id));
            var decision = Autoscaler.Decide(policy, state, new LoadObservation(now, inFlight, ready.Count, Volatile.Read(ref _starting)),
                desired, deployment.Spec.BaselineReplicas, deployment.Spec.MaxReplicas);
            state = decision.State;
            if (decision.Direction == ScaleDirection.Out)
            {
                desired = decision.Desired;
                Interlocked.Increment(ref _starting);
                Track(Task.Run(async () =>
                {
                    try
                    {
                        var replica = await StartAsync(burst: true, cancellationToken);
                        lock (_lock)
                        {
                            lane.Replicas = [.. lane.Replicas, replica];
                        }
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _starting);
                    }
                }, CancellationToken.None));
            }
            else if (decision.Direction == ScaleDirection.In && lane.Replicas.LastOrDefault(r => r.IsBurst) is { } retiring)
            {
                desired = decision.Desired;
                lock (_lock)
                {
                    lane.Replicas = [.. lane.Replicas.Where(r => r != retiring)];
                }

                Track(DrainAsync(_replicas[retiring.Id], CancellationToken.None));
            }
        }
    }

    private void Track(Task task)
    {
        lock (_lock)
        {
            _scaling.Add(task);
        }
    }

    /// <summary>Waits until the gateway has nothing in flight on a retired replica (at most the drain timeout, compressed), then stops it.</summary>
    private async Task DrainAsync(Running replica, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Stopwatch.Frequency * 120 * schedule.TimeScale);
        while (load.InFlightOn(replica.Handle.ReplicaId) > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }

        await CollectArrivalsAsync(replica, cancellationToken);
        await StopAsync(replica);
    }

    private async Task CollectArrivalsAsync(Running replica, CancellationToken cancellationToken)
    {
        try
        {
            var seen = await client.GetFromJsonAsync<List<SeenArrival>>(new Uri(replica.Handle.BaseUri!, "simulator/arrivals"), cancellationToken) ?? [];
            foreach (var a in seen)
            {
                _arrivals.Add(new EngineArrival(a.At - _began, a.PromptTokens, a.MaxTokens, a.Stream, a.ColdStart, a.QueueMs, a.Refused, a.FirstTokenDueMs));
            }
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning(e, "Could not read what replica {ReplicaId} of a dry run saw.", replica.Handle.ReplicaId);
        }
    }

    private async Task StopAsync(Running replica)
    {
        replica.Stopped ??= DateTimeOffset.UtcNow;
        await runtime.StopReplicaAsync(replica.Handle);
    }

    private async Task WaitForSamplesAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (lane.Samples.Count < schedule.Requests.Count && waited.Elapsed < SamplesTimeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private sealed record SeenArrival(DateTimeOffset At, int PromptTokens, int MaxTokens, bool Stream, bool ColdStart, double? QueueMs, bool Refused, double? FirstTokenDueMs);
}
