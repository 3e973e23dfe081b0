using Portal.Core.Audit;

namespace Portal.Core.Tests.Audit;

public sealed class AuditBoundsTests
{
    [Fact]
    public void Seal_OfAnEntryWithoutAResourceId_StoresThePlaceholder()
    {
        var record = AuditRecord.Seal(AuditChainHead.Genesis, AuditTestChain.Entry(1) with { ResourceId = null! });

        Assert.Equal(AuditBounds.Missing, record.ResourceId);
        Assert.Equal(AuditHash.Compute(AuditHash.Genesis, record with { Hash = "" }), record.Hash);
    }

    [Fact]
    public void Seal_OfA300CharacterName_CutsItToTheColumnWithAMarkerGivingTheOriginalLength()
    {
        var email = new string('a', 289) + "@demo.local";

        var record = AuditRecord.Seal(AuditChainHead.Genesis, AuditTestChain.Entry(1) with { ActorName = email, ResourceId = email });

        Assert.Equal(AuditBounds.ActorName, record.ActorName.Length);
        Assert.EndsWith("…[truncated, 300 chars]", record.ActorName);
        Assert.StartsWith("aaaa", record.ActorName);
        Assert.Equal(AuditBounds.ResourceId, record.ResourceId.Length);
    }

    [Fact]
    public void Seal_OfEveryFieldFarTooLong_StaysWithinEveryBound()
    {
        var huge = string.Concat(Enumerable.Repeat("long ", 200_000));

        var record = AuditRecord.Seal(AuditChainHead.Genesis, AuditTestChain.Entry(1) with
        {
            ActorId = huge, ActorName = huge, ActorRoles = huge, ActorIp = huge, Action = huge, ResourceType = huge,
            ResourceId = huge, Reason = huge, CorrelationId = huge,
            Details = $$"""{"blob":"{{huge}}"}""",
        });

        Assert.True(record.ActorId.Length <= AuditBounds.ActorId);
        Assert.True(record.ActorName.Length <= AuditBounds.ActorName);
        Assert.True(record.ActorRoles.Length <= AuditBounds.ActorRoles);
        Assert.True(record.ActorIp.Length <= AuditBounds.ActorIp);
        Assert.True(record.Action.Length <= AuditBounds.Action);
        Assert.True(record.ResourceType.Length <= AuditBounds.ResourceType);
        Assert.True(record.ResourceId.Length <= AuditBounds.ResourceId);
        Assert.True(record.Reason!.Length <= AuditBounds.Reason);
        Assert.True(record.CorrelationId.Length <= AuditBounds.CorrelationId);
        Assert.Equal("""{"truncated":true,"originalLength":1000011}""", record.Details);
    }

    [Fact]
    public void Fit_NeverSplitsASurrogatePair()
    {
        var text = string.Concat(Enumerable.Repeat("💥", 200));

        var fitted = AuditBounds.Fit(text, 100);

        Assert.True(fitted.Length <= 100);
        var kept = fitted[..fitted.IndexOf('…')];
        Assert.False(char.IsHighSurrogate(kept[^1]));
        Assert.Equal(0, kept.Replace("💥", "").Length);
    }

    [Fact]
    public void Fit_LeavesAValueWithinItsBoundAlone()
    {
        Assert.Equal("key.created", AuditBounds.Fit("key.created", AuditBounds.Action));
    }
}
