using System.Collections.Concurrent;
using Portal.Core.Gateway;
using Portal.Core.Keys;
using Portal.Gateway.Seams;

namespace Portal.Migration.DryRun;

/// <summary>
/// The dry runs replaying through this instance's gateway, beside the routing snapshot: each candidate gets a lane —
/// an inference key of its own, an endpoint only that key reaches, and the replicas started for it — that lives in
/// memory only while the candidate replays. No customer sees these endpoints or replicas (they are in no table), and
/// the samples the gateway measures on a lane come back here instead of into production's tables.
/// </summary>
public sealed class DryRunTraffic
{
    private readonly ConcurrentDictionary<string, GatewayKey> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(Guid Tenant, string Model), GatewayEndpoint> _endpoints = new();
    private readonly ConcurrentDictionary<Guid, DryRunLane> _lanes = new();
    private readonly ConcurrentDictionary<Guid, DryRunLane> _lanesBySampleMark = new();
    private readonly ConcurrentDictionary<Guid, byte> _runsHere = new();

    /// <summary>Marks dry run <paramref name="runId"/> as running on this instance until the result is disposed.</summary>
    public IDisposable Begin(Guid runId)
    {
        _runsHere[runId] = 0;
        return new Ending(() => _runsHere.TryRemove(runId, out _));
    }

    /// <summary>Whether this instance has the dry run's job in hand (its simulators, if any, are this instance's).</summary>
    public bool IsRunningHere(Guid runId) => _runsHere.ContainsKey(runId);

    private sealed class Ending(Action end) : IDisposable
    {
        public void Dispose() => end();
    }

    public GatewayKey? FindKey(string keyHash) => _keys.GetValueOrDefault(keyHash);

    public GatewayEndpoint? FindEndpoint(Guid tenantId, string model) => _endpoints.GetValueOrDefault((tenantId, model));

    /// <summary>The lane's replicas for its target; null when the target is not a dry run's.</summary>
    public IReadOnlyList<GatewayReplica>? FindReplicas(Guid targetId) => _lanes.GetValueOrDefault(targetId)?.Replicas;

    /// <summary>Opens a lane for one candidate of dry run <paramref name="runId"/>; disposing it removes key, endpoint and replicas.</summary>
    public DryRunLane Open(Guid runId, Guid tenantId, string upstreamModel, int saturationBound)
    {
        var key = InferenceKey.Generate();
        var target = GatewayTarget.Dedicated(Guid.NewGuid(), upstreamModel, saturationBound);
        var model = $"dry-run-{runId:N}-{target.Id:N}";
        var lane = new DryRunLane(key, model, target.Id, runId);
        _lanes[target.Id] = lane;
        _lanesBySampleMark[lane.Id] = lane;
        _keys[key.Hash] = new GatewayKey(Guid.NewGuid(), tenantId, InferenceKeyScopes.Chat | InferenceKeyScopes.Completions) { DryRunId = lane.Id };
        _endpoints[(tenantId, model)] = new GatewayEndpoint(Guid.NewGuid(), tenantId, model, target) { DryRunId = lane.Id };
        lane.Close = () =>
        {
            _keys.TryRemove(key.Hash, out _);
            _endpoints.TryRemove((tenantId, model), out _);
            _lanes.TryRemove(target.Id, out _);
            _lanesBySampleMark.TryRemove(lane.Id, out _);
        };
        return lane;
    }

    /// <summary>Hands the gateway's samples of dry-run traffic to their lanes; samples of a closed lane are dropped.</summary>
    public void Accept(RequestSample sample)
    {
        if (sample.DryRunId is { } id && _lanesBySampleMark.TryGetValue(id, out var lane))
        {
            lane.Samples.Enqueue(sample);
        }
    }
}

/// <summary>One candidate's way through the gateway during a dry run.</summary>
public sealed class DryRunLane : IDisposable
{
    private readonly NewInferenceKey _key;

    internal DryRunLane(NewInferenceKey key, string model, Guid targetId, Guid runId)
    {
        _key = key;
        Model = model;
        TargetId = targetId;
        RunId = runId;
    }

    /// <summary>What the lane's samples carry as their dry-run id (one per lane, so candidates never mix).</summary>
    public Guid Id { get; } = Guid.NewGuid();

    public Guid RunId { get; }

    /// <summary>The model name the replayer sends.</summary>
    public string Model { get; }

    public Guid TargetId { get; }

    /// <summary>The bearer token the replayer presents.</summary>
    public string Key => _key.Plaintext;

    public IReadOnlyList<GatewayReplica> Replicas { get; set; } = [];

    public ConcurrentQueue<RequestSample> Samples { get; } = new();

    internal Action Close { get; set; } = () => { };

    public void Dispose() => Close();
}
