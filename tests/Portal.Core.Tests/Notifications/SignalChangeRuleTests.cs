using Portal.Core.Notifications;
using Portal.Core.Signals;

namespace Portal.Core.Tests.Notifications;

public sealed class SignalChangeRuleTests
{
    [Theory]
    [InlineData(SignalState.Ok, SignalState.Fires, true)]
    [InlineData(SignalState.NotEnoughData, SignalState.Fires, true)]
    [InlineData(SignalState.Fires, SignalState.Ok, true)]
    [InlineData(SignalState.Fires, SignalState.NotEnoughData, true)]
    [InlineData(SignalState.Fires, SignalState.Fires, false)]
    [InlineData(SignalState.Ok, SignalState.NotEnoughData, false)]
    [InlineData(SignalState.NotEnoughData, SignalState.Ok, false)]
    [InlineData(SignalState.Ok, SignalState.Ok, false)]
    public void ShouldTell_WhenASignalStartsOrStopsFiring(SignalState previous, SignalState current, bool expected)
    {
        Assert.Equal(expected, SignalChangeRule.ShouldTell(previous, current));
    }

    [Theory]
    [InlineData(SignalState.Fires, true)]
    [InlineData(SignalState.Ok, false)]
    [InlineData(SignalState.NotEnoughData, false)]
    public void ShouldTell_TheFirstVerdict_OnlyWhenItFires(SignalState current, bool expected)
    {
        Assert.Equal(expected, SignalChangeRule.ShouldTell(null, current));
    }
}
