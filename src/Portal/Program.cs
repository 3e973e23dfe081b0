using Portal.Demo;
using Portal.Hosting;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // The repository's top-level appsettings.json is copied beside the binaries; run from anywhere.
    ContentRootPath = AppContext.BaseDirectory,
});
builder.UseDefaultListenAddress();

if (builder.Configuration.GetPortalRole() == PortalRole.Gateway)
{
    await builder.RunGatewayOnlyAsync();
    return;
}

builder.RequireHardenedSettings();
builder.AddPortalProxySupport();
builder.AddPortalRateLimits();
builder.AddPortalData();
builder.AddPortalIdentity();
builder.AddPortalEmail();
builder.AddPortalAudit();
builder.AddPortalDeployments();
builder.AddPortalInference();
builder.AddPortalHealthSla();
builder.AddPortalNotifications();
builder.AddPortalObservability();
builder.AddPortalUsage();
builder.AddPortalJobs();
builder.AddPortalTelemetry();
builder.AddPortalHealthChecks();
builder.AddPortalWeb();
builder.AddPortalPlatform();
builder.AddPortalDemo();

var app = builder.Build();

await app.PrepareDatabaseAsync();

app.UsePortalProxySupport();
app.MapPortalInference(); // first: /v1 branches off before authentication
app.UsePortalSecurity();
app.UseAuditContext();
app.MapPortalHealthChecks();
app.MapPortalIdentity();
app.MapPortalApi();
app.MapPortalJobs();
app.MapPortalAuditJobs();
app.MapPortalDeploymentJobs();
app.MapPortalHealthSlaJobs();
app.MapPortalNotificationJobs();
app.MapPortalObservabilityJobs();
app.MapPortalUsageJobs();
app.MapPortalWeb();

app.Run();

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
