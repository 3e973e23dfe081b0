using Microsoft.EntityFrameworkCore;
using Portal.Core.Gateway;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Browser.Tests.Support;

/// <summary>Endpoints the browser tests add to the demo tenant directly, as the endpoints API would store them.</summary>
internal static class DemoEndpoints
{
    /// <summary>
    /// A serverless endpoint of the demo tenant on Llama 3.1 8B in us-east, its upstream never called; added to
    /// <paramref name="db"/>, not yet saved, so the caller can store what the endpoint recorded with it.
    /// </summary>
    public static async Task<InferenceEndpoint> AddServerlessAsync(PortalDbContext db, string name)
    {
        var tenant = await db.Tenants.Where(t => t.Name == "Demo Inc.").Select(t => t.Id).SingleAsync();
        var now = DateTimeOffset.UtcNow;
        var target = new Target
        {
            TenantId = tenant, Name = $"{name} (serverless)", Kind = TargetKind.Serverless, BaseUrl = "http://127.0.0.1:9/v1/",
            UpstreamModel = "meta-llama/Llama-3.1-8B-Instruct", Region = "us-east", OutputPricePerMillion = 0.6m, CreatedAt = now,
        };
        var endpoint = new InferenceEndpoint { TenantId = tenant, Name = name, PrimaryTargetId = target.Id, CreatedAt = now };
        db.Targets.Add(target);
        db.Endpoints.Add(endpoint);
        return endpoint;
    }
}
