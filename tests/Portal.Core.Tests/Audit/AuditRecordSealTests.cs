using System.Text.Json;
using Portal.Core.Audit;

namespace Portal.Core.Tests.Audit;

public class AuditRecordSealTests
{
    [Fact]
    public void Seal_FirstRecord_IsNumberOneAndFollowsTheGenesisHash()
    {
        var record = AuditRecord.Seal(AuditChainHead.Genesis, AuditTestChain.Entry(1));

        Assert.Equal(1, record.Sequence);
        Assert.Equal(new string('0', 64), record.PreviousHash);
        Assert.Equal(AuditHash.Compute(AuditHash.Genesis, record), record.Hash);
        Assert.True(AuditHash.IsWellFormed(record.Hash));
    }

    [Fact]
    public void Seal_NextRecord_TakesTheNextNumberAndLinksToTheHead()
    {
        var first = AuditRecord.Seal(AuditChainHead.Genesis, AuditTestChain.Entry(1));

        var second = AuditRecord.Seal(AuditChainHead.Of(first), AuditTestChain.Entry(2));

        Assert.Equal(2, second.Sequence);
        Assert.Equal(first.Hash, second.PreviousHash);
    }

    [Fact]
    public void Seal_NormalizesTimeToUtcWholeMilliseconds()
    {
        var local = new DateTimeOffset(2025, 6, 1, 11, 30, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);

        var record = AuditRecord.Seal(AuditChainHead.Genesis, AuditTestChain.Entry(1) with { OccurredAt = local });

        Assert.Equal(TimeSpan.Zero, record.OccurredAt.Offset);
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 9, 30, 0, 123, TimeSpan.Zero), record.OccurredAt);
    }

    [Fact]
    public void Seal_TimeRoundTripsThroughTicksAndThroughText()
    {
        var record = AuditRecord.Seal(AuditChainHead.Genesis, AuditTestChain.Entry(1) with { OccurredAt = DateTimeOffset.UtcNow });

        var fromTicks = record with { OccurredAt = new DateTimeOffset(record.OccurredAt.UtcTicks, TimeSpan.Zero) };
        var fromText = record with { OccurredAt = JsonSerializer.Deserialize<DateTimeOffset>(JsonSerializer.Serialize(record.OccurredAt)) };
        var fromRoundTripFormat = record with { OccurredAt = DateTimeOffset.Parse(record.OccurredAt.ToString("O"), System.Globalization.CultureInfo.InvariantCulture) };

        Assert.Equal(record.Hash, AuditHash.Compute(record.PreviousHash, fromTicks));
        Assert.Equal(record.Hash, AuditHash.Compute(record.PreviousHash, fromText));
        Assert.Equal(record.Hash, AuditHash.Compute(record.PreviousHash, fromRoundTripFormat));
    }

    [Fact]
    public void Seal_SortsAndDeduplicatesRoles()
    {
        var record = AuditRecord.Seal(AuditChainHead.Genesis, AuditTestChain.Entry(1) with { ActorRoles = " TenantAdmin,Auditor,,TenantAdmin" });

        Assert.Equal("Auditor,TenantAdmin", record.ActorRoles);
    }

    [Fact]
    public void JoinRoles_SortsOrdinally() =>
        Assert.Equal("Developer,Support,TenantAdmin", AuditEntry.JoinRoles(["TenantAdmin", "Support", "Developer"]));

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("{not json")]
    public void Seal_DetailsThatAreNotAJsonObject_AreRefused(string details) =>
        Assert.Throws<ArgumentException>(() => AuditRecord.Seal(AuditChainHead.Genesis, AuditTestChain.Entry(1) with { Details = details }));

    [Fact]
    public void Seal_DetailsStillHoldingAPassword_AreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => AuditRecord.Seal(
            AuditChainHead.Genesis, AuditTestChain.Entry(1) with { Details = """{"user":"ada","password":"hunter2"}""" }));

        Assert.Contains("details.password", error.Message);
    }

    [Fact]
    public void Seal_ReasonHoldingAnInferenceKey_IsRefused() =>
        Assert.Throws<ArgumentException>(() => AuditRecord.Seal(
            AuditChainHead.Genesis, AuditTestChain.Entry(1) with { Reason = "rotated pk_4Fq9ZrT2mXc81LpQaW7eBn3Y_1a2b3c4d" }));

    [Fact]
    public void Seal_RedactedDetails_AreAccepted()
    {
        var details = AuditRedaction.RedactDetails("""{"password":"hunter2"}""");

        var record = AuditRecord.Seal(AuditChainHead.Genesis, AuditTestChain.Entry(1) with { Details = details });

        Assert.Equal("""{"password":"[redacted]"}""", record.Details);
    }

    [Fact]
    public void Seal_MalformedPreviousHash_IsRefused() =>
        Assert.Throws<ArgumentException>(() => AuditRecord.Seal(new AuditChainHead(3, "ABC"), AuditTestChain.Entry(1)));
}
