namespace Portal.Core.Gateway;

/// <summary>
/// A replica as routing sees it. The host maps the lifecycle (Pending … Ready → Draining/Failed) onto this:
/// only <see cref="Ready"/> takes new requests; <see cref="Draining"/> finishes what it has.
/// </summary>
public enum ReplicaRouteState
{
    Ready,
    Draining,
    Unavailable,
}
