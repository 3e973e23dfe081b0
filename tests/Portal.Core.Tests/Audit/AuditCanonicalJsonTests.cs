using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Portal.Core.Audit;

namespace Portal.Core.Tests.Audit;

public class AuditCanonicalJsonTests
{
    private static readonly string _previous = string.Concat(Enumerable.Repeat("ab", 32));

    private static AuditRecord Known() => new()
    {
        Sequence = 7,
        OccurredAt = new DateTimeOffset(2025, 6, 1, 11, 30, 0, 123, TimeSpan.FromHours(2)),
        TenantId = new Guid("0F8FAD5B-D9CB-469F-A165-70867728950E"),
        ActorId = "u-42",
        ActorName = "Zoë \"Z\" Ölund",
        ActorRoles = "Developer,TenantAdmin",
        ActorIp = "203.0.113.9",
        Action = "member.role_changed",
        ResourceType = "member",
        ResourceId = "u-7",
        Outcome = AuditOutcome.Success,
        Reason = null,
        Details = """{"before":{"role":"Auditor"},"after":{"role":"Developer"}}""",
        CorrelationId = "c-1",
        PreviousHash = _previous,
        Hash = "ignored",
    };

    private const string KnownJson =
        "{\"sequence\":7,\"occurredAt\":\"2025-06-01T09:30:00.123Z\",\"tenantId\":\"0f8fad5b-d9cb-469f-a165-70867728950e\","
        + "\"actorId\":\"u-42\",\"actorName\":\"Zoë \\\"Z\\\" Ölund\",\"actorRoles\":\"Developer,TenantAdmin\",\"actorIp\":\"203.0.113.9\","
        + "\"action\":\"member.role_changed\",\"resourceType\":\"member\",\"resourceId\":\"u-7\",\"outcome\":\"Success\",\"reason\":null,"
        + "\"details\":\"{\\\"before\\\":{\\\"role\\\":\\\"Auditor\\\"},\\\"after\\\":{\\\"role\\\":\\\"Developer\\\"}}\",\"correlationId\":\"c-1\","
        + "\"previousHash\":\"" + "abababababababababababababababababababababababababababababababab" + "\"}";

    [Fact]
    public void Serialize_WritesEveryFieldButHashInFixedOrderWithExplicitNulls() =>
        Assert.Equal(KnownJson, AuditCanonicalJson.Serialize(Known()));

    [Fact]
    public void Compute_EqualsSha256OfPreviousHashFollowedByTheHandBuiltJson()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_previous + KnownJson)));

        Assert.Equal(expected, AuditHash.Compute(_previous, Known()));
    }

    [Fact]
    public void Compute_KnownRecord_EqualsTheValueComputedOutsideDotnet()
    {
        // Computed with Python's hashlib over the same text. Pinned: a change to the canonical form would orphan
        // every stored chain, so it must fail here first.
        Assert.Equal("4fa459e4bf66c74be843e8824865c338cd5f79c83afecdc17f3720dc35f4c2dc", AuditHash.Compute(_previous, Known()));
    }

    [Theory]
    [InlineData("ar-SA")]
    [InlineData("th-TH")]
    [InlineData("de-DE")]
    [InlineData("fa-IR")]
    public void Serialize_IsTheSameUnderEveryCulture(string culture)
    {
        var original = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo(culture);
            CultureInfo.CurrentUICulture = new CultureInfo(culture);

            Assert.Equal(KnownJson, AuditCanonicalJson.Serialize(Known()));
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
            CultureInfo.CurrentUICulture = original;
        }
    }

    [Fact]
    public void Serialize_EscapesControlCharactersAndKeepsOtherCharactersAsThemselves()
    {
        var record = Known() with { Reason = "a\tb\nc\u0001d/é<>&\\" };

        Assert.Contains("\"reason\":\"a\\tb\\nc\\u0001d/é<>&\\\\\"", AuditCanonicalJson.Serialize(record));
    }

    [Fact]
    public void Serialize_PlatformRecord_WritesTenantIdNull() =>
        Assert.Contains("\"tenantId\":null", AuditCanonicalJson.Serialize(Known() with { TenantId = null }));

    [Fact]
    public void Serialize_SubMillisecondTime_IsWrittenWithSevenDigitsSoItCannotCollide()
    {
        var record = Known() with { OccurredAt = Known().OccurredAt.AddTicks(1) };

        Assert.Contains("\"occurredAt\":\"2025-06-01T09:30:00.1230001Z\"", AuditCanonicalJson.Serialize(record));
        Assert.NotEqual(AuditHash.Compute(_previous, Known()), AuditHash.Compute(_previous, record));
    }

    [Fact]
    public void Compute_LoneSurrogate_IsRefused() =>
        Assert.Throws<ArgumentException>(() => AuditHash.Compute(_previous, Known() with { ActorName = "\ud800" }));
}
