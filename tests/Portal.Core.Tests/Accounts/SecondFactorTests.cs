using Portal.Core.Accounts;

namespace Portal.Core.Tests.Accounts;

public class SecondFactorTests
{
    [Theory]
    [InlineData("123456", "123456")]
    [InlineData(" 123 456 ", "123456")]
    [InlineData("123-456", "123456")]
    [InlineData("000000", "000000")]
    public void Read_SixDigits_IsAnAuthenticatorCode(string input, string expected)
    {
        Assert.Equal(new SecondFactor(SecondFactorKind.AuthenticatorCode, expected), SecondFactor.Read(input));
    }

    [Theory]
    [InlineData("BCDFG-HJKMN", "BCDFG-HJKMN")]
    [InlineData("bcdfg-hjkmn", "BCDFG-HJKMN")]
    [InlineData("BCDFGHJKMN", "BCDFG-HJKMN")]
    [InlineData(" bcdfg hjkmn ", "BCDFG-HJKMN")]
    [InlineData("2345678923", "23456-78923")]
    public void Read_TenLettersOrDigits_IsARecoveryCodeInItsIssuedForm(string input, string expected)
    {
        Assert.Equal(new SecondFactor(SecondFactorKind.RecoveryCode, expected), SecondFactor.Read(input));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12345a")]
    [InlineData("BCDFG-HJKM")]
    [InlineData("BCDFG-HJKMN!")]
    [InlineData("١٢٣٤٥٦")]
    public void Read_AnythingElse_IsUnreadable(string? input)
    {
        Assert.Equal(SecondFactorKind.Unreadable, SecondFactor.Read(input).Kind);
    }
}
