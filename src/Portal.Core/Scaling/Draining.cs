namespace Portal.Core.Scaling;

/// <summary>
/// When a draining replica may stop: once no request is in flight on it and the gateway has had a full routing refresh
/// to stop sending new ones, or when the drain timeout has passed, whatever is still in flight.
/// </summary>
public static class Draining
{
    public static DrainVerdict Judge(int inFlight, TimeSpan drainingFor, TimeSpan routingRefresh, TimeSpan timeout)
    {
        if (drainingFor >= timeout)
        {
            return inFlight > 0 ? DrainVerdict.TimedOut : DrainVerdict.Drained;
        }

        return inFlight == 0 && drainingFor >= routingRefresh ? DrainVerdict.Drained : DrainVerdict.Wait;
    }
}

public enum DrainVerdict
{
    /// <summary>Requests are still in flight (or the gateway may not have seen the drain yet): keep the replica.</summary>
    Wait,

    /// <summary>Nothing in flight: stop it.</summary>
    Drained,

    /// <summary>The timeout passed with requests still in flight: stop it anyway.</summary>
    TimedOut,
}
