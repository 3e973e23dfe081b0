using System.Text.Json;
using Portal.Core.Gateway;
using Portal.Tests.Support;

namespace Portal.Tests.Migration;

/// <summary>
/// Candidates compared on the same recorded window: too little capacity shows queueing and a worse p99 than enough
/// capacity, and a scale-to-zero candidate shows the cold starts the serverless recording had.
/// </summary>
public sealed class DryRunCandidatesTests(PortalApp app) : IClassFixture<PortalApp>
{
    [Fact]
    public async Task CandidateWithTooLittleCapacity_QueuesAndHasAWorseP99ThanALargerOne()
    {
        using var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var (endpointId, targetId, from) = await DryRunRecordings.EndpointAsync(app, client, "dry-run-capacity");
        // 200 requests over 60 s, each about 0.55 simulated seconds of work on the 8B profile: 1.8 sequences busy on average.
        var recorded = Enumerable.Range(0, 200).Select(i => new Recorded(i * 0.3, GatewayOperation.Chat, 500, 40, Streamed: true)).ToList();
        await DryRunRecordings.StoreAsync(app, endpointId, targetId, "dry-run-capacity", from, recorded);

        var run = await DryRunRecordings.RunAsync(client, endpointId, from, from.AddSeconds(60), 10,
            DryRunRecordings.Candidate("one sequence", seqs: 1), DryRunRecordings.Candidate("two replicas", baseline: 2, max: 2, seqs: 16));

        var small = DryRunRecordings.Candidate(run, 0).GetProperty("summary");
        var large = DryRunRecordings.Candidate(run, 1).GetProperty("summary");
        Assert.Equal(200, small.GetProperty("succeeded").GetInt32());
        Assert.Equal(200, large.GetProperty("succeeded").GetInt32());
        Assert.True(small.GetProperty("queued").GetInt32() > 100, $"Only {small.GetProperty("queued")} requests queued on one sequence.");
        Assert.True(small.GetProperty("queued").GetInt32() > large.GetProperty("queued").GetInt32());
        Assert.True(small.GetProperty("ttftP99Ms").GetDouble() > large.GetProperty("ttftP99Ms").GetDouble(),
            $"p99 {small.GetProperty("ttftP99Ms")} ms on one sequence against {large.GetProperty("ttftP99Ms")} ms on two replicas.");

        // Twice the replicas, twice the GPU-hours over the same window; the recommendation names its bar.
        Assert.Equal(2 * DryRunRecordings.Candidate(run, 0).GetProperty("gpuHours").GetDouble(),
            DryRunRecordings.Candidate(run, 1).GetProperty("gpuHours").GetDouble(), 2);
        Assert.Contains("no TTFT objective is set", run.GetProperty("report").GetProperty("recommendation").GetProperty("bar").GetString());
    }

    [Fact]
    public async Task AFasterGpu_OnTheSameReplay_QueuesLessAndHasALowerP99ThanASlowerOne()
    {
        using var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var (endpointId, targetId, from) = await DryRunRecordings.EndpointAsync(app, client, "dry-run-gpu");
        // A request every 10 s for 120 s, 200 prompt and 1,000 completion tokens, one running sequence. On the H100 (12 ms
        // a token) each takes about 12.1 simulated seconds, more than the gap, so each waits 2 s longer than the one
        // before (about 11 s on average). On the H200 (3.35 ÷ 4.8 TB/s of that: 8.4 ms a token) each takes about 8.4 s
        // and is done 1.6 s (80 ms of replay at ×20) before the next arrives: nothing waits unless the host delays
        // arrivals by more than that, and a single such delay makes a few wait, not all.
        var recorded = Enumerable.Range(0, 12).Select(i => new Recorded(i * 10.0, GatewayOperation.Chat, 200, 1000, Streamed: true)).ToList();
        await DryRunRecordings.StoreAsync(app, endpointId, targetId, "dry-run-gpu", from, recorded);

        var run = await DryRunRecordings.RunAsync(client, endpointId, from, from.AddSeconds(120), 20,
            DryRunRecordings.Candidate("1xH100", seqs: 1), DryRunRecordings.Candidate("1xH200", seqs: 1, gpuType: "h200-141gb"));

        var h100 = DryRunRecordings.Candidate(run, 0);
        var h200 = DryRunRecordings.Candidate(run, 1);
        // Both replay on the 8B profile; the H200's figures are derived from its GPU.
        Assert.Equal(12, h100.GetProperty("speed").GetProperty("figures").GetProperty("interTokenLatencyMs").GetDouble(), 9);
        Assert.Equal(8.375, h200.GetProperty("speed").GetProperty("figures").GetProperty("interTokenLatencyMs").GetDouble(), 9);
        Assert.Equal(899_616, h200.GetProperty("speed").GetProperty("figures").GetProperty("kvCacheTokens").GetInt32());
        Assert.Equal("dedicated-8b-h100", h200.GetProperty("profile").GetString());
        Assert.Contains("decodes 1.43× as fast", h200.GetProperty("speed").GetProperty("basis").GetString());

        var (slow, fast) = (h100.GetProperty("summary"), h200.GetProperty("summary"));
        Assert.Equal(12, slow.GetProperty("succeeded").GetInt32());
        Assert.Equal(12, fast.GetProperty("succeeded").GetInt32());
        Assert.True(slow.GetProperty("queued").GetInt32() >= 8, $"Only {slow.GetProperty("queued")} of 12 requests queued on the H100.");
        // The margin: the H200's mean wait for a running slot and its p99 TTFT are at most half the H100's, so a host
        // that delays an arrival or two in one replay does not decide the outcome.
        var (slowWait, fastWait) = (slow.GetProperty("queueMeanMs").GetDouble(), fast.GetProperty("queueMeanMs").GetDouble());
        Assert.True(fastWait * 2 <= slowWait, $"A mean wait of {fastWait:0} ms on the H200 against {slowWait:0} ms on the H100.");
        var (slowP99, fastP99) = (slow.GetProperty("ttftP99Ms").GetDouble(), fast.GetProperty("ttftP99Ms").GetDouble());
        Assert.True(fastP99 * 2 <= slowP99, $"p99 {fastP99:0} ms on the H200 against {slowP99:0} ms on the H100.");
    }

    [Fact]
    public async Task ScaleToZeroCandidate_ShowsTheColdStartsTheRecordingHad()
    {
        using var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var (endpointId, targetId, from) = await DryRunRecordings.EndpointAsync(app, client, "dry-run-cold");
        // Three bursts of 20 requests over 4 s, 400 s apart: after each idle gap longer than the profile's 300 s the next
        // burst waits out its 15 s cold start, and every request of that burst arrives during it and waits over 11 s.
        var recorded = new List<Recorded>();
        foreach (var (burstStart, cold) in new[] { (0.0, false), (400.0, true), (800.0, true) })
        {
            for (var i = 0; i < 20; i++)
            {
                var wait = cold ? 15_000 - i * 200 : 0;
                recorded.Add(new Recorded(burstStart + i * 0.2, GatewayOperation.Chat, 300, 20, Streamed: true, TtftMs: wait + 110, ColdStart: cold));
            }
        }

        await DryRunRecordings.StoreAsync(app, endpointId, targetId, "dry-run-cold", from, recorded);

        // At ×10 the 15 s cold start lasts 1.5 s of replay, the burst's 20 slots span 0.38 s and a warm request may take up
        // to 0.5 s before it reads as a cold start: a late arrival within the host's lateness (docs/dry-run.md, Limits)
        // still meets the cold start. At ×30 (0.5 s of cold load) a busy host once delayed 11 of a burst's requests past
        // it, and they were (rightly) served warm.
        var run = await DryRunRecordings.RunAsync(client, endpointId, from, from.AddSeconds(820), 10,
            DryRunRecordings.Candidate("serverless 8B", scaleToZero: true));

        var candidate = DryRunRecordings.Candidate(run, 0);
        var recordedColdStarts = run.GetProperty("report").GetProperty("recorded").GetProperty("coldStarts").GetInt32();
        Assert.Equal(40, recordedColdStarts);
        Assert.Equal("serverless-8b", candidate.GetProperty("profile").GetString());
        Assert.True(recordedColdStarts == candidate.GetProperty("summary").GetProperty("coldStarts").GetInt32(), candidate.ToString());
        Assert.Equal("Fires", candidate.GetProperty("summary").GetProperty("coldStartSignal").GetProperty("state").GetString());
        Assert.Equal(40, candidate.GetProperty("arrivals").EnumerateArray().Count(a => a.GetProperty("coldStart").GetBoolean()));
    }

    [Fact]
    public async Task CandidateWithBurstCapacity_AddsABurstReplicaUnderSustainedLoad_AndPaysForItsLifetime()
    {
        using var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var (endpointId, targetId, from) = await DryRunRecordings.EndpointAsync(app, client, "dry-run-burst");
        // A request every 0.5 s for 300 s, each about 6 simulated seconds of decoding: about 12 in flight, three times
        // the autoscaler's 4 per replica for far longer than its 30 s, so the production rule asks for more replicas;
        // the burst replica loads its weights (75 s on the profile) and serves the rest of the window.
        var recorded = Enumerable.Range(0, 600).Select(i => new Recorded(i * 0.5, GatewayOperation.Chat, 200, 500, Streamed: true)).ToList();
        await DryRunRecordings.StoreAsync(app, endpointId, targetId, "dry-run-burst", from, recorded);

        var run = await DryRunRecordings.RunAsync(client, endpointId, from, from.AddSeconds(300), 20,
            DryRunRecordings.Candidate("1xH100 burst to 3", baseline: 1, max: 3));

        var candidate = DryRunRecordings.Candidate(run, 0);
        Assert.Equal(600, candidate.GetProperty("summary").GetProperty("succeeded").GetInt32());
        var replicas = candidate.GetProperty("replicas").EnumerateArray().ToList();
        Assert.Single(replicas, r => !r.GetProperty("burst").GetBoolean());
        Assert.Contains(replicas, r => r.GetProperty("burst").GetBoolean());
        Assert.Contains(candidate.GetProperty("replicasOverTime").EnumerateArray(), p => p.GetProperty("burst").GetInt32() >= 1);

        // GPU-hours are the replicas' own lifetimes inside the replay, de-scaled: more than the one baseline replica's
        // whole window, and the cost is those hours at the region's price.
        var gpuHours = candidate.GetProperty("gpuHours").GetDecimal();
        Assert.True(gpuHours > 300m / 3600m, $"{gpuHours} GPU-hours with a burst replica over a 300 s window.");
        Assert.Equal((double)(gpuHours * candidate.GetProperty("pricePerGpuHourUsd").GetDecimal()), candidate.GetProperty("costUsd").GetDouble(), 9);
    }
}
