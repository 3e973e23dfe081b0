using Portal.Core.Audit;

namespace Portal.Core.Tests.Audit;

/// <summary>Builds sealed chains the way the store does, so tests tamper with realistic data.</summary>
internal static class AuditTestChain
{
    public static readonly DateTimeOffset Start = new(2025, 6, 1, 9, 30, 0, 123, TimeSpan.Zero);

    public static AuditEntry Entry(int n) => new()
    {
        OccurredAt = Start.AddSeconds(n),
        TenantId = n % 3 == 0 ? null : new Guid($"0f8fad5b-d9cb-469f-a165-{n:D12}"),
        ActorId = $"u-{n % 5}",
        ActorName = $"User {n % 5}",
        ActorRoles = "TenantAdmin,Developer",
        ActorIp = "203.0.113.9",
        Action = n % 2 == 0 ? "member.role_changed" : "deployment.created",
        ResourceType = n % 2 == 0 ? "member" : "deployment",
        ResourceId = $"r-{n}",
        Outcome = (AuditOutcome)(n % 3),
        Reason = n % 4 == 0 ? null : $"change #{n}",
        Details = n % 4 == 1 ? null : $$"""{"before":{"role":"Auditor"},"after":{"role":"Developer"},"n":{{n}}}""",
        CorrelationId = $"c-{n}",
    };

    public static List<AuditRecord> Build(int count)
    {
        var records = new List<AuditRecord>(count);
        var head = AuditChainHead.Genesis;
        for (var n = 1; n <= count; n++)
        {
            var record = AuditRecord.Seal(head, Entry(n));
            records.Add(record);
            head = AuditChainHead.Of(record);
        }

        return records;
    }

    public static List<AuditCheckpoint> Checkpoints(AuditSigner signer, IReadOnlyList<AuditRecord> records, params long[] sequences) =>
        sequences.Select(s => signer.Sign(AuditChainHead.Of(records[(int)s - 1]), Start.AddHours(s))).ToList();

    /// <summary>Re-computes a record's hash after an edit, as an attacker with write access would.</summary>
    public static AuditRecord Rehash(AuditRecord record) => record with { Hash = AuditHash.Compute(record.PreviousHash, record) };

    /// <summary>Renumbers and re-links everything from <paramref name="from"/> on, as a thorough attacker would.</summary>
    public static List<AuditRecord> RelinkFrom(List<AuditRecord> records, int from)
    {
        var result = records.ToList();
        for (var i = from; i < result.Count; i++)
        {
            var previousHash = i == 0 ? AuditHash.Genesis : result[i - 1].Hash;
            result[i] = Rehash(result[i] with { Sequence = i + 1, PreviousHash = previousHash });
        }

        return result;
    }

    public static async IAsyncEnumerable<T> Async<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }
}
