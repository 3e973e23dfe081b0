using Portal.Core.Tenancy;

namespace Portal.Core.Logs;

/// <summary>
/// Who reads a replica's engine output: the tenant's admins and developers, who run the deployments, and support staff
/// inside an audited look-in. Auditors read records, not engine output; anyone else does not know the deployment exists.
/// </summary>
public static class ReplicaLogAccess
{
    public static bool CanRead(TenantRole role, bool lookIn) => lookIn || role is TenantRole.TenantAdmin or TenantRole.Developer;

    /// <summary>Reading a tail is not recorded (it is what the page does every few seconds); a download is, like an export.</summary>
    public const string DownloadAction = "replica.logs_downloaded";
}
