using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Tests.Deployments;

/// <summary>The per-deployment autoscale policy through the management API: checked, audited, refused to an Auditor.</summary>
public sealed class AutoscalePolicyApiTests(PortalApp app) : IClassFixture<PortalApp>
{
    private static object Policy(double target = 3, double quiet = 0.5, int drain = 90) => new
    {
        targetInFlightPerReplica = target, scaleOutAfterSeconds = 20, scaleInAfterSeconds = 240, quietBelowFraction = quiet,
        cooldownSeconds = 90, drainTimeoutSeconds = drain,
    };

    [Fact]
    public async Task Policy_IsValidated_Stored_AuditedWithBeforeAndAfter_AndRefusedToAnAuditor()
    {
        using var dev = app.NewClient();
        await dev.SignInAsync("dev@demo.local");
        var created = await dev.PostAsJsonAsync("api/v1/deployments", new
        {
            name = "policy-chat", model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" }, engine = "Vllm",
            gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 3, region = "us-east",
        });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var defaults = await dev.GetFromJsonAsync<JsonElement>($"api/v1/deployments/{id}/autoscale");
        var invalid = await dev.PutAsJsonAsync($"api/v1/deployments/{id}/autoscale", Policy(target: 0, quiet: 1, drain: 0));
        var saved = await dev.PutAsJsonAsync($"api/v1/deployments/{id}/autoscale", Policy());
        using var auditor = app.NewClient();
        await auditor.SignInAsync("auditor@demo.local");
        var refused = await auditor.PutAsJsonAsync($"api/v1/deployments/{id}/autoscale", Policy(target: 50));

        Assert.Equal(4, defaults.GetProperty("policy").GetProperty("targetInFlightPerReplica").GetDouble());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problems = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(2, problems.GetProperty("policy").GetArrayLength());
        Assert.True(problems.TryGetProperty("DrainTimeoutSeconds", out _));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var stored = await dev.GetFromJsonAsync<JsonElement>($"api/v1/deployments/{id}/autoscale");
        Assert.Equal((3.0, 90), (stored.GetProperty("policy").GetProperty("targetInFlightPerReplica").GetDouble(),
            stored.GetProperty("policy").GetProperty("drainTimeoutSeconds").GetInt32()));

        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var me = await admin.GetFromJsonAsync<JsonElement>("api/v1/me");
        var demo = me.GetProperty("tenants").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Demo Inc.").GetProperty("id").GetString();
        var log = await admin.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?tenantId={demo}&resourceId={id}&action=deployment.autoscale");
        var records = log.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(["Denied", "Success", "Failure"], records.Select(r => r.GetProperty("outcome").GetString()));
        var details = JsonDocument.Parse(records[1].GetProperty("details").GetString()!).RootElement;
        Assert.Equal(4, details.GetProperty("before").GetProperty("targetInFlightPerReplica").GetDouble());
        Assert.Equal(3, details.GetProperty("after").GetProperty("targetInFlightPerReplica").GetDouble());

        // The rendered manifest carries the tenant's exclusive placement.
        var detail = await dev.GetFromJsonAsync<JsonElement>($"api/v1/deployments/{id}");
        var manifest = detail.GetProperty("kubernetesManifest").GetString()!;
        Assert.Contains($"key: portal.dev/tenant\n                operator: In\n                values:\n                - {demo}", manifest);
        Assert.Contains($"effect: NoSchedule\n        key: portal.dev/tenant\n        operator: Equal\n        value: {demo}", manifest);
        await dev.PostAsync($"api/v1/deployments/{id}/stop", null);
    }
}
