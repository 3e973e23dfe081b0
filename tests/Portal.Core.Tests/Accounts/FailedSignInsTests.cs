using Portal.Core.Accounts;

namespace Portal.Core.Tests.Accounts;

public class FailedSignInsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    [Fact]
    public void FiveFailuresFromOneAddress_BlockThatAddress_NotAnother()
    {
        var failures = new FailedSignIns(perAddressLimit: 5, perAccountLimit: 50, Window);

        var verdicts = Enumerable.Range(0, 5).Select(i => failures.RecordFailure("ada", "203.0.113.5", T0.AddSeconds(i))).ToList();

        Assert.All(verdicts.Take(4), v => Assert.False(v.AddressBlocked));
        Assert.True(verdicts[4].AddressBlocked);
        Assert.True(failures.IsBlocked("ada", "203.0.113.5", T0.AddMinutes(1)));
        Assert.False(failures.IsBlocked("ada", "198.51.100.7", T0.AddMinutes(1)));
        Assert.False(failures.IsBlocked("grace", "203.0.113.5", T0.AddMinutes(1)));
    }

    [Fact]
    public void TheBlock_LiftsAfterTheWindow_AndCountingStartsAgain()
    {
        var failures = new FailedSignIns(5, 50, Window);
        for (var i = 0; i < 5; i++)
        {
            failures.RecordFailure("ada", "203.0.113.5", T0);
        }

        Assert.True(failures.IsBlocked("ada", "203.0.113.5", T0 + Window - TimeSpan.FromSeconds(1)));
        Assert.False(failures.IsBlocked("ada", "203.0.113.5", T0 + Window));
        Assert.False(failures.RecordFailure("ada", "203.0.113.5", T0 + Window).AddressBlocked);
    }

    [Fact]
    public void FailuresSpreadOverAWindow_AreForgotten_WhenTheWindowPasses()
    {
        var failures = new FailedSignIns(5, 50, Window);
        for (var i = 0; i < 4; i++)
        {
            failures.RecordFailure("ada", "203.0.113.5", T0);
        }

        Assert.False(failures.RecordFailure("ada", "203.0.113.5", T0 + Window).AddressBlocked);
    }

    [Fact]
    public void ARightPassword_ResetsTheAddressCount()
    {
        var failures = new FailedSignIns(5, 50, Window);
        for (var i = 0; i < 4; i++)
        {
            failures.RecordFailure("ada", "203.0.113.5", T0);
        }

        failures.Succeeded("ada", "203.0.113.5");

        Assert.False(failures.RecordFailure("ada", "203.0.113.5", T0).AddressBlocked);
    }

    [Fact]
    public void ADistributedGuess_LocksTheAccountOnce_WhenItsTotalReachesTheLimit()
    {
        var failures = new FailedSignIns(5, 12, Window);

        var verdicts = Enumerable.Range(0, 14).Select(i => failures.RecordFailure("ada", $"203.0.113.{i}", T0)).ToList();

        Assert.Equal([11], verdicts.Select((v, i) => (v, i)).Where(x => x.v.AccountLockedOut).Select(x => x.i));
    }

    [Fact]
    public void AReset_ForgetsEveryAddress()
    {
        var failures = new FailedSignIns(5, 50, Window);
        for (var i = 0; i < 5; i++)
        {
            failures.RecordFailure("ada", "203.0.113.5", T0);
            failures.RecordFailure("ada", "203.0.113.6", T0);
        }

        failures.Forget("ada");

        Assert.False(failures.IsBlocked("ada", "203.0.113.5", T0));
        Assert.False(failures.IsBlocked("ada", "203.0.113.6", T0));
    }
}
