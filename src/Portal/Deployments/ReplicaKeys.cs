using Microsoft.AspNetCore.DataProtection;
using Portal.Core.Deployments;
using Portal.Data.Entities;

namespace Portal.Deployments;

/// <summary>
/// Each replica's engine key (<see cref="ReplicaSecret"/>), kept encrypted with Data Protection on its row. Only the
/// platform reads it back — the reconciler, the gateway's routing snapshot, the probes and the scrapes — never a page,
/// an API response, a log line or the audit log.
/// </summary>
public sealed class ReplicaKeys(IDataProtectionProvider protection)
{
    public const string Purpose = "Portal.Replicas.ApiKey.v1";

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    /// <summary>A fresh secret, encrypted for storage.</summary>
    public string NewProtected() => _protector.Protect(ReplicaSecret.New());

    /// <summary>The replica's secret in clear; null when the replica was started before replicas had keys.</summary>
    public string? Reveal(Replica replica) => replica.ProtectedApiKey is { } stored ? _protector.Unprotect(stored) : null;
}
