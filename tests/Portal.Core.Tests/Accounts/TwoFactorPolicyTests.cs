using Portal.Core.Accounts;

namespace Portal.Core.Tests.Accounts;

public class TwoFactorPolicyTests
{
    [Theory]
    [InlineData(false, false, true)]
    [InlineData(false, true, true)]
    [InlineData(true, true, true)]
    [InlineData(true, false, false)]
    public void Admits_OnlyHoldsBackAPersonWithoutTwoFactorFromATenantThatRequiresIt(bool requires, bool hasTwoFactor, bool admitted)
    {
        Assert.Equal(admitted, TwoFactorPolicy.Admits(requires, hasTwoFactor));
    }

    [Fact]
    public void RefuseRequiring_APersonWithoutTwoFactor_WouldLockThemselvesOut()
    {
        Assert.Contains("for yourself first", TwoFactorPolicy.RefuseRequiring(true, callerIsPerson: true, callerHasTwoFactor: false));
    }

    [Theory]
    [InlineData(true, true, true)] // a person who has it
    [InlineData(true, false, false)] // a program
    [InlineData(false, true, false)] // turning it off
    public void RefuseRequiring_NothingElseIsRefused(bool requires, bool isPerson, bool hasTwoFactor)
    {
        Assert.Null(TwoFactorPolicy.RefuseRequiring(requires, isPerson, hasTwoFactor));
    }

    [Fact]
    public void HeldBackMessage_NamesTheTenantAndWhereToSetItUp()
    {
        var message = TwoFactorPolicy.HeldBackMessage("Acme Research");

        Assert.StartsWith("Acme Research requires two-factor sign-in.", message);
        Assert.Contains("/account/security", message);
    }
}
