using Portal.Core.Tenancy;

namespace Portal.Core.Tests.Tenancy;

public class InvitationTests
{
    private static readonly DateTimeOffset Sent = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Expires = Sent + Invitation.Lifetime;

    [Fact]
    public void StateOf_BeforeExpiry_IsPending() =>
        Assert.Equal(InvitationState.Pending, Invitation.StateOf(Expires, null, null, Expires.AddTicks(-1)));

    [Fact]
    public void StateOf_AtTheExpiryInstant_IsExpired() =>
        Assert.Equal(InvitationState.Expired, Invitation.StateOf(Expires, null, null, Expires));

    [Fact]
    public void StateOf_Accepted_StaysAcceptedAfterExpiry() =>
        Assert.Equal(InvitationState.Accepted, Invitation.StateOf(Expires, Sent.AddDays(1), null, Expires.AddDays(30)));

    [Fact]
    public void StateOf_Revoked_IsRevokedBeforeExpiry() =>
        Assert.Equal(InvitationState.Revoked, Invitation.StateOf(Expires, null, Sent.AddHours(1), Sent.AddHours(2)));

    [Fact]
    public void Lifetime_IsSevenDays() => Assert.Equal(TimeSpan.FromDays(7), Expires - Sent);

    [Fact]
    public void NewToken_IsWellFormed_AndNeverRepeats()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => Invitation.NewToken()).ToList();
        Assert.All(tokens, t => Assert.True(Invitation.IsWellFormed(t), t));
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa+")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void IsWellFormed_RefusesWhatCannotBeAToken(string? token) => Assert.False(Invitation.IsWellFormed(token));

    [Fact]
    public void HashToken_IsTheSha256OfTheToken_InLowerCaseHex() =>
        // SHA-256("abc"), the FIPS 180-2 example.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Invitation.HashToken("abc"));

    [Fact]
    public void NormalizeEmail_IgnoresCaseAndSurroundingSpace() =>
        Assert.Equal(Invitation.NormalizeEmail("ada@example.com"), Invitation.NormalizeEmail("  Ada@Example.COM "));

    [Fact]
    public void Refusal_ForUsedAndRevoked_IsOneSentence_AndExpiryHasItsOwn()
    {
        Assert.Equal(Invitation.Refusal(InvitationState.Accepted), Invitation.Refusal(InvitationState.Revoked));
        Assert.Equal(Invitation.Refusal(null), Invitation.Refusal(InvitationState.Revoked));
        Assert.Contains("expired", Invitation.Refusal(InvitationState.Expired));
    }
}
