using System.Security.Claims;

namespace Portal.Identity;

/// <summary>
/// The identity of the console's warm-up when it renders a page inside the process (<c>ConsoleWarmUp</c>): it carries the
/// read-only system caller it stands for. Only code in this process can construct it; a cookie or token is always read
/// back as a plain <see cref="ClaimsIdentity"/>, so nothing from outside can be resolved as this caller.
/// </summary>
public sealed class WarmUpIdentity(Caller caller)
    : ClaimsIdentity([new Claim(CallerResolver.SubjectClaim, caller.Subject)], AuthenticationKind)
{
    public const string AuthenticationKind = "console-warm-up";

    public Caller Caller { get; } = caller.IsSystem && caller.Tenants.All(t => t.Role == Core.Tenancy.TenantRole.Auditor)
        ? caller
        : throw new ArgumentException("The warm-up renders only as a read-only system caller.", nameof(caller));
}
