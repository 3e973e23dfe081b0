using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Gateway;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Inference;

namespace Portal.Tests.Inference;

/// <summary>
/// The sink writes raw samples on SQLite through SQLite's own statements, not EF. Those rows must be stored exactly as
/// EF stores the same values — byte for byte, column by column — or EF's filters (a GUID compared as text, a time as
/// ticks) would silently miss them. Batches cross the sink's chunk size (32 rows) and its remainder.
/// </summary>
public sealed class SampleSinkStorageTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("portal-sink-storage-");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    [InlineData(70)]
    public async Task RowsWrittenByTheSink_AreStoredExactlyAsEfStoresThem(int count)
    {
        await using var provider = await SampleSinkServices.CreateAsync(_folder);
        var factory = provider.GetRequiredService<IDbContextFactory<PortalDbContext>>();

        var bySink = Samples(count, Guid.NewGuid());
        var efTenant = Guid.NewGuid();
        var byEf = bySink.Select(s => s with { TenantId = efTenant }).ToList();
        await provider.GetRequiredService<DatabaseSampleSink>().WriteBatchAsync(bySink, CancellationToken.None);
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.RequestSamples.AddRange(byEf.Select(RequestSampleRow.From));
            await db.SaveChangesAsync();
        }

        await using (var db = await factory.CreateDbContextAsync())
        {
            // EF finds the sink's rows by their text GUIDs and tick times, and reads back every value written.
            var tenant = bySink[0].TenantId;
            var read = await db.RequestSamples.AsNoTracking().Where(r => r.TenantId == tenant).OrderBy(r => r.Id).ToListAsync();
            Assert.Equal(count, read.Count);
            for (var i = 0; i < count; i++)
            {
                var expected = RequestSampleRow.From(bySink[i]);
                expected.Id = read[i].Id;
                Assert.Equivalent(expected, read[i], strict: true);
            }

            var endpoint = bySink[0].EndpointId;
            var since = bySink[0].Timestamp;
            Assert.Equal(
                bySink.Count(s => s.EndpointId == endpoint && s.Timestamp >= since),
                await db.RequestSamples.CountAsync(r => r.TenantId == tenant && r.EndpointId == endpoint && r.Timestamp >= since));
        }

        // Byte for byte: every column but the tenant and the row id, as SQLite quotes it, equal between the two writers.
        var sinkRows = await StoredAsync(factory, bySink[0].TenantId);
        var efRows = await StoredAsync(factory, byEf[0].TenantId);
        Assert.Equal(efRows, sinkRows);
        Assert.Equal(bySink[0].TenantId.ToString().ToUpperInvariant(), await ScalarAsync(factory, $"SELECT TenantId FROM RequestSamples WHERE Id = (SELECT MIN(Id) FROM RequestSamples)"));
    }

    private static List<RequestSample> Samples(int count, Guid tenant)
    {
        var start = new DateTimeOffset(2026, 12, 6, 10, 59, 58, 123, TimeSpan.Zero).AddTicks(4567);
        var endpoints = new[] { Guid.NewGuid(), Guid.NewGuid() };
        return [.. Enumerable.Range(0, count).Select(i => new RequestSample
        {
            Timestamp = start.AddMilliseconds(i * 97.3),
            TenantId = tenant,
            KeyId = Guid.NewGuid(),
            Operation = (GatewayOperation)(i % Enum.GetValues<GatewayOperation>().Length),
            Model = i % 5 == 0 ? null : $"model-é-{i}",
            EndpointId = i % 7 == 0 ? null : endpoints[i % 2],
            TargetId = i % 7 == 0 ? null : Guid.NewGuid(),
            Tier = i % 3 == 0 ? null : (TargetKind)(i % 2),
            ReplicaId = i % 4 == 0 ? null : $"replica-{i}",
            Region = i % 6 == 0 ? null : "eu-west",
            Burst = i % 2 == 0,
            Shadow = i % 3 == 1,
            StatusCode = i % 9 == 0 ? 503 : 200,
            ErrorCode = i % 9 == 0 ? "upstream_unavailable" : null,
            Streamed = i % 2 == 1,
            TtftMs = i % 8 == 0 ? null : 100.25 + i,
            ItlMeanMs = i % 8 == 0 ? null : 20.5,
            ItlP99Ms = i % 8 == 0 ? null : 41.125,
            TpotMs = i % 8 == 0 ? null : 19.75,
            EndToEndMs = 1_000.5 + i,
            PromptTokens = i % 10 == 0 ? null : 200 + i,
            CompletionTokens = i % 10 == 0 ? null : 80 + i,
            ColdStart = i % 11 == 0,
            Attempts = 1 + i % 3,
        })];
    }

    private static async Task<List<string>> StoredAsync(IDbContextFactory<PortalDbContext> factory, Guid tenant)
    {
        await using var db = await factory.CreateDbContextAsync();
        var columns = db.Model.FindEntityType(typeof(RequestSampleRow))!.GetProperties()
            .Where(p => p.Name is not nameof(RequestSampleRow.Id) and not nameof(RequestSampleRow.TenantId))
            .Select(p => $"quote(\"{p.GetColumnName()}\")");
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(" || '|' || ", columns)} FROM RequestSamples WHERE TenantId = $tenant ORDER BY Id";
        command.Parameters.Add(new SqliteParameter("$tenant", tenant));
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static async Task<string?> ScalarAsync(IDbContextFactory<PortalDbContext> factory, string sql)
    {
        await using var db = await factory.CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string?)await command.ExecuteScalarAsync();
    }
}
