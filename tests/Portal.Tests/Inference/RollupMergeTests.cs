using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Gateway;
using Portal.Core.Latency;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Inference;

namespace Portal.Tests.Inference;

/// <summary>
/// The sink keeps the rollup rows it last wrote and merges the next batch into them without reading them again. The
/// stored minute and hour rows must still equal the merge of every sample written, whichever process wrote them: two
/// sinks here stand for two portal processes on one database (a gateway-only process beside the full portal).
/// </summary>
public sealed class RollupMergeTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 10, 58, 30, TimeSpan.Zero);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("portal-rollup-merge-");
    private readonly Guid _tenant = Guid.NewGuid();
    private readonly Guid _endpoint = Guid.NewGuid();
    private readonly Guid _target = Guid.NewGuid();
    private readonly Guid _quietTarget = Guid.NewGuid();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task BatchesFromOneProcess_AddUpInTheirMinuteAndHourRows()
    {
        await using var portal = await SampleSinkServices.CreateAsync(_folder);
        var sink = portal.GetRequiredService<DatabaseSampleSink>();
        var batches = Enumerable.Range(0, 6).Select(Batch).ToList();

        foreach (var batch in batches)
        {
            await sink.WriteBatchAsync(batch, CancellationToken.None);
        }

        await AssertRowsHoldEverySampleAsync(portal, batches.SelectMany(b => b).ToList());
    }

    [Fact]
    public async Task TwoProcessesTakingTurns_LoseNoSampleFromTheRowsTheyShare()
    {
        await using var first = await SampleSinkServices.CreateAsync(_folder);
        await using var second = await SampleSinkServices.CreateAsync(_folder, migrate: false);
        var sinks = new[] { first.GetRequiredService<DatabaseSampleSink>(), second.GetRequiredService<DatabaseSampleSink>() };
        var batches = Enumerable.Range(0, 8).Select(Batch).ToList();

        // Each process writes every other batch, so each finds the rows it kept changed by the other process since.
        for (var i = 0; i < batches.Count; i++)
        {
            await sinks[i % 2].WriteBatchAsync(batches[i], CancellationToken.None);
        }

        await AssertRowsHoldEverySampleAsync(first, batches.SelectMany(b => b).ToList());
    }

    [Fact]
    public async Task ARowRemovedBehindTheProcess_IsWrittenAgainFromTheNextBatch()
    {
        await using var portal = await SampleSinkServices.CreateAsync(_folder);
        var sink = portal.GetRequiredService<DatabaseSampleSink>();
        await sink.WriteBatchAsync(Batch(0), CancellationToken.None);
        await using (var db = await portal.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            // As retention does with old rows: the kept copy no longer has a row to update.
            await db.MinuteRollups.ExecuteDeleteAsync();
            await db.HourRollups.ExecuteDeleteAsync();
        }

        var after = Batch(1);
        await sink.WriteBatchAsync(after, CancellationToken.None);

        await AssertRowsHoldEverySampleAsync(portal, after);
    }

    /// <summary>Batch <paramref name="index"/>: samples over three minutes on either side of an hour boundary, two targets.</summary>
    private List<RequestSample> Batch(int index) => [.. Enumerable.Range(0, 40).Select(i => new RequestSample
    {
        Timestamp = Start.AddSeconds(i * 3 % 120),
        TenantId = _tenant,
        KeyId = Guid.Empty,
        Operation = GatewayOperation.Chat,
        Model = "m",
        EndpointId = _endpoint,
        // Half the traffic goes to a target that never cold-starts: its rows keep no cold-start TTFT through every merge.
        TargetId = i % 2 == 0 ? _target : _quietTarget,
        Tier = TargetKind.Dedicated,
        Region = "eu-west",
        StatusCode = (i + index) % 13 == 0 ? 503 : 200,
        Streamed = true,
        TtftMs = 50 + (index * 40 + i) * 7.5,
        EndToEndMs = 900,
        PromptTokens = 100 + index,
        CompletionTokens = 20 + i,
        ColdStart = i % 2 == 0 && (i + index) % 17 == 0,
        Attempts = 1,
    })];

    private static async Task AssertRowsHoldEverySampleAsync(ServiceProvider portal, List<RequestSample> samples)
    {
        var expected = new RollupAccumulator();
        foreach (var sample in samples)
        {
            expected.Add(ServingTier.FromGateway(sample)!);
        }

        var minutes = expected.Drain(DateTimeOffset.MaxValue);
        var hours = RollupLevels.ToHours(minutes);
        await using var db = await portal.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var storedMinutes = await db.MinuteRollups.AsNoTracking().ToListAsync();
        var storedHours = await db.HourRollups.AsNoTracking().ToListAsync();
        Assert.Equal(minutes.Count, storedMinutes.Count);
        Assert.Equal(4, hours.Count);
        Assert.Contains(storedHours, h => h.MaxColdStartTtftMs is null);
        Assert.Equal(hours.Count, storedHours.Count);
        foreach (var (want, rows) in minutes.Select(m => (m, storedMinutes.Cast<RollupRow>())).Concat(hours.Select(h => (h, storedHours.Cast<RollupRow>()))))
        {
            var row = Assert.Single(rows, r => r.Key == want.Key);
            Assert.Equal(
                (want.Requests, want.Errors, want.ColdStarts, want.PromptTokens, want.CompletionTokens, want.MaxColdStartTtftMs),
                (row.Requests, row.Errors, row.ColdStarts, row.PromptTokens, row.CompletionTokens, row.MaxColdStartTtftMs));
            Assert.Equal(want.Ttft.ToBytes(), row.Histogram);
        }
    }
}
