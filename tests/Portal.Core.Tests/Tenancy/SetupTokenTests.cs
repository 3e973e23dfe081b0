using Portal.Core.Tenancy;

namespace Portal.Core.Tests.Tenancy;

public class SetupTokenTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Generate_MakesAWellFormedTokenOf256BitsWhoseHashIsTheStoredOne()
    {
        var token = SetupToken.Generate();

        Assert.Equal(SetupToken.Length, token.Plaintext.Length);
        Assert.True(SetupToken.IsWellFormed(token.Plaintext));
        Assert.Equal(SetupToken.Hash(token.Plaintext), token.Hash);
        Assert.Equal(64, token.Hash.Length);
        Assert.DoesNotContain(token.Plaintext, token.ToString());
    }

    [Fact]
    public void Generate_NeverRepeats()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => SetupToken.Generate().Plaintext).ToHashSet();
        Assert.Equal(1000, tokens.Count);
    }

    [Fact]
    public void Hash_IsTheLowerCaseHexSha256OfTheToken()
    {
        // SHA-256("abc"), the FIPS 180-2 example.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", SetupToken.Hash("abc"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void IsWellFormed_RefusesAnythingButFortyThreeBase64UrlCharacters(string? text)
    {
        Assert.False(SetupToken.IsWellFormed(text));
    }

    [Fact]
    public void Check_ValidUntilTheExpiryExclusive_ThenExpired_AndUnknownWhenNothingIsStored()
    {
        var expiry = Now + SetupToken.Lifetime;

        Assert.Equal(SetupTokenState.Valid, SetupToken.Check(expiry, Now));
        Assert.Equal(SetupTokenState.Valid, SetupToken.Check(expiry, expiry.AddTicks(-1)));
        Assert.Equal(SetupTokenState.Expired, SetupToken.Check(expiry, expiry));
        Assert.Equal(SetupTokenState.Expired, SetupToken.Check(expiry, expiry.AddDays(1)));
        Assert.Equal(SetupTokenState.Unknown, SetupToken.Check(null, Now));
    }

    [Fact]
    public void Lifetime_IsOneHour()
    {
        Assert.Equal(TimeSpan.FromHours(1), SetupToken.Lifetime);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080/setup?token=T")]
    [InlineData("https://portal.example.com/", "https://portal.example.com/setup?token=T")]
    public void Link_IsTheSetupPageOfTheListeningAddress(string address, string expected)
    {
        Assert.Equal(expected, SetupToken.Link(address, "T"));
    }
}
