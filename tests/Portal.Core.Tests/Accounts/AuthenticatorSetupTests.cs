using Portal.Core.Accounts;

namespace Portal.Core.Tests.Accounts;

public class AuthenticatorSetupTests
{
    [Fact]
    public void Uri_NamesIssuerAndAccount_AndEscapesTheEmail()
    {
        var uri = AuthenticatorSetup.Uri("ada+ops@example.com", "JBSWY3DPEHPK3PXP");

        Assert.Equal("otpauth://totp/Portal:ada%2Bops%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Portal&digits=6", uri);
    }

    [Fact]
    public void Uri_EscapesAnIssuerWithSpaces()
    {
        Assert.StartsWith("otpauth://totp/Acme%20Portal:a%40b.c?", AuthenticatorSetup.Uri("a@b.c", "KEY", "Acme Portal"));
        Assert.EndsWith("&issuer=Acme%20Portal&digits=6", AuthenticatorSetup.Uri("a@b.c", "KEY", "Acme Portal"));
    }

    [Fact]
    public void Uri_WithoutAKey_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => AuthenticatorSetup.Uri("a@b.c", " "));
    }

    [Theory]
    [InlineData("JBSWY3DPEHPK3PXP", "jbsw y3dp ehpk 3pxp")]
    [InlineData("ABCDEF", "abcd ef")]
    [InlineData("ABCD", "abcd")]
    [InlineData("", "")]
    public void FormatKey_GroupsOfFourInLowerCase(string key, string expected)
    {
        Assert.Equal(expected, AuthenticatorSetup.FormatKey(key));
    }
}
