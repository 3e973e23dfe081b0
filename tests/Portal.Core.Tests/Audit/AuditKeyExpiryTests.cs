using Portal.Core.Audit;

namespace Portal.Core.Tests.Audit;

public sealed class AuditKeyExpiryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, null)]
    [InlineData(31.0, null)]
    [InlineData(30.0, 30)]
    [InlineData(2.5, 3)]
    [InlineData(0.0, 0)]
    [InlineData(-4.0, 0)]
    public void DaysLeftToWarn_WarnsOnlyInsideTheWindow(double? daysToEnd, int? expected)
    {
        var notAfter = daysToEnd is { } days ? Now.AddDays(days) : (DateTimeOffset?)null;

        Assert.Equal(expected, AuditKeyExpiry.DaysLeftToWarn(notAfter, Now, warningDays: 30));
    }
}
