using Portal.Core.Signals;

namespace Portal.Core.Notifications;

/// <summary>
/// Whether a migration signal's new verdict is worth telling: it started or stopped firing. A move between "ok" and
/// "not enough data" (traffic thinning out or picking up) is recorded but not told; the first verdict of a signal is
/// told only when it fires.
/// </summary>
public static class SignalChangeRule
{
    public static bool ShouldTell(SignalState? previous, SignalState current) =>
        previous is { } before ? (before == SignalState.Fires) != (current == SignalState.Fires) : current == SignalState.Fires;
}
