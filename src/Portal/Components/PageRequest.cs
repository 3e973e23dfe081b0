namespace Portal.Components;

/// <summary>
/// What the request that opened the page said, handed from <see cref="Routes"/> to the layout: the tenant chosen in
/// the switcher (a cookie) and the address the page was requested from (a circuit's audit records carry it).
/// </summary>
public sealed record PageRequest(Guid? PreferredTenant, string? ClientIp);
