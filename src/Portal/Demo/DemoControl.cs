using Portal.Audit;
using Portal.Core.Tenancy;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Demo;

/// <summary>The Overview page's switch for the demo traffic: TenantAdmin and Developer of the demo tenant; audited.</summary>
public sealed class DemoControl(DemoTraffic traffic, TenantGuard guard, AuditLog auditLog)
{
    public async Task<ServiceResult<bool>> SetTrafficAsync(Caller caller, Guid tenantId, bool on, CancellationToken ct = default)
    {
        var action = on ? "demo.traffic_start" : "demo.traffic_stop";
        if (await guard.RequireAsync<bool>(caller, tenantId, AccessPolicy.CanChange, "Switching the demo traffic is for TenantAdmin and Developer",
                action, "demo-traffic", tenantId.ToString(), ct) is { } refused)
        {
            return refused;
        }

        if (traffic.TenantId != tenantId)
        {
            return ServiceResult<bool>.NotFound("The demo does not run in this tenant.");
        }

        if (on)
        {
            traffic.Start();
        }
        else
        {
            await traffic.StopAsync();
        }

        await auditLog.RecordAsync(caller, tenantId, on ? "demo.traffic_started" : "demo.traffic_stopped", "demo-traffic", tenantId.ToString(),
            details: new { sent = traffic.Sent, errors = traffic.Errors }, cancellationToken: ct);
        return ServiceResult<bool>.Ok(traffic.IsRunning);
    }
}
