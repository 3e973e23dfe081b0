using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Audit;
using Portal.Cli;
using Portal.Data;
using Portal.Tests.Support;

namespace Portal.Tests.Audit;

public sealed class AuditApiTests(PortalApp app) : IClassFixture<PortalApp>
{
    private async Task<Guid> TenantIdAsync(string slug)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
    }

    private async Task SignCheckpointAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AuditCheckpointJob>().RunAsync();
    }

    [Fact]
    public async Task MemberChanges_AreRecorded_WithBeforeAndAfter()
    {
        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var demo = await TenantIdAsync("demo");
        var email = $"audited-{Guid.NewGuid():n}@demo.local";
        var (person, memberId) = await app.InviteAndJoinAsync(admin, demo, email, "Developer", name: "Audited");
        person.Dispose();
        await admin.PatchAsJsonAsync($"api/v1/tenants/{demo}/members/{memberId}", new { role = "Auditor" });

        var page = await admin.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?tenantId={demo}&resourceId={memberId}");

        var records = page.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(["member.role_changed"], records.Select(r => r.GetProperty("action").GetString()));
        var details = JsonDocument.Parse(records[0].GetProperty("details").GetString()!).RootElement;
        Assert.Equal("Developer", details.GetProperty("before").GetProperty("role").GetString());
        Assert.Equal("Auditor", details.GetProperty("after").GetProperty("role").GetString());
        Assert.Equal("Ada Admin", records[0].GetProperty("actorName").GetString());
        Assert.Equal("127.0.0.1", records[0].GetProperty("actorIp").GetString());
    }

    [Fact]
    public async Task AuditorOfTenantA_NeverSeesTenantBsRecords()
    {
        using var acmeAdmin = app.NewClient();
        await acmeAdmin.SignInAsync("admin@demo.local");
        var acme = await TenantIdAsync("acme");
        var demo = await TenantIdAsync("demo");
        // Something happens in Acme: an invitation is recorded there.
        await acmeAdmin.PostAsJsonAsync($"api/v1/tenants/{acme}/invitations",
            new { email = $"acme-{Guid.NewGuid():n}@acme.local", role = "Developer" });
        using var auditor = app.NewClient();
        await auditor.SignInAsync("auditor@demo.local");

        var foreign = await auditor.GetAsync($"api/v1/audit/records?tenantId={acme}");
        var foreignExport = await auditor.GetAsync($"api/v1/audit/export?tenantId={acme}");
        var own = await auditor.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?tenantId={demo}&pageSize=200");

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreignExport.StatusCode);
        Assert.All(own.GetProperty("records").EnumerateArray(), r => Assert.Equal(demo, r.GetProperty("tenantId").GetGuid()));
    }

    [Fact]
    public async Task Developer_IsRefusedTheAuditLog()
    {
        using var developer = app.NewClient();
        await developer.SignInAsync("dev@demo.local");
        var demo = await TenantIdAsync("demo");

        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var deniedReads = await CountAsync(admin, demo, "access.denied", "GET /api/v1/audit/records");
        var deniedAdds = await CountAsync(admin, demo, "invitation.send", null);
        var deniedAny = await CountAsync(admin, demo, "access.denied", null);

        Assert.Equal(HttpStatusCode.Forbidden, (await developer.GetAsync($"api/v1/audit/records?tenantId={demo}")).StatusCode);
        var refusedChange = await developer.PostAsJsonAsync($"api/v1/tenants/{demo}/invitations",
            new { email = $"nope-{Guid.NewGuid():n}@demo.local", role = "Developer" });

        // The refused read enters the trail once; the refused change is recorded by its service, and only there.
        Assert.Equal(HttpStatusCode.Forbidden, refusedChange.StatusCode);
        Assert.Equal(deniedReads + 1, await CountAsync(admin, demo, "access.denied", "GET /api/v1/audit/records"));
        Assert.Equal(deniedAdds + 1, await CountAsync(admin, demo, "invitation.send", null));
        Assert.Equal(deniedAny + 1, await CountAsync(admin, demo, "access.denied", null));
        var record = (await admin.GetFromJsonAsync<JsonElement>(
            $"api/v1/audit/records?tenantId={demo}&action=access.denied&pageSize=1")).GetProperty("records")[0];
        Assert.Equal("Denied", record.GetProperty("outcome").GetString());
        Assert.Equal("Dev Developer", record.GetProperty("actorName").GetString());
        Assert.Contains("TenantAdmin and Auditor", record.GetProperty("reason").GetString());
    }

    private static async Task<int> CountAsync(HttpClient admin, Guid tenant, string action, string? resourceId)
    {
        var url = $"api/v1/audit/records?tenantId={tenant}&action={action}&outcome=Denied&pageSize=200"
            + (resourceId is null ? "" : $"&resourceId={Uri.EscapeDataString(resourceId)}");
        return (await admin.GetFromJsonAsync<JsonElement>(url)).GetProperty("records").GetArrayLength();
    }

    [Fact]
    public async Task Export_VerifiesOffline_WithOnlyThePublicKey_AndOneChangedByteFails()
    {
        using var auditor = app.NewClient();
        await auditor.SignInAsync("auditor@demo.local");
        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        await SignCheckpointAsync();
        var demo = await TenantIdAsync("demo");
        var folder = Directory.CreateTempSubdirectory("portal-export-");
        var exportPath = Path.Combine(folder.FullName, "audit.jsonl");
        var keyPath = Path.Combine(folder.FullName, "audit-key.pem");

        var export = await auditor.GetAsync($"api/v1/audit/export?tenantId={demo}&format=jsonl");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        await File.WriteAllBytesAsync(exportPath, await export.Content.ReadAsByteArrayAsync());
        await File.WriteAllTextAsync(keyPath, await app.NewClient().GetStringAsync("api/v1/audit/public-key"));

        var intact = await RunCliAsync("audit", "verify", exportPath, "--public-key", keyPath);
        Assert.True(intact.Code == 0, intact.Output + intact.Error);
        Assert.StartsWith("OK:", intact.Output);

        var text = await File.ReadAllTextAsync(exportPath);
        var at = text.IndexOf("\"actorName\":\"Ada Admin\"", StringComparison.Ordinal) + "\"actorName\":\"".Length;
        var tampered = text[..at] + "E" + text[(at + 1)..];
        await File.WriteAllTextAsync(exportPath, tampered, new UTF8Encoding(false));

        var broken = await RunCliAsync("audit", "verify", exportPath, "--public-key", keyPath);
        Assert.Equal(1, broken.Code);
        Assert.Contains("record #", broken.Error);
        folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Export_AsCsv_HasAHeaderAndOneRowPerRecord_AndIsItselfAudited()
    {
        using var auditor = app.NewClient();
        await auditor.SignInAsync("auditor@demo.local");
        var demo = await TenantIdAsync("demo");

        var csv = await auditor.GetStringAsync($"api/v1/audit/export?tenantId={demo}&format=csv&action=auth.");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.StartsWith("sequence,", lines[0]);
        Assert.True(lines.Length > 1);
        Assert.All(lines.Skip(1), l => Assert.Contains(",auth.", l));
        var exports = await auditor.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?tenantId={demo}&action=audit.exported");
        Assert.Contains(exports.GetProperty("records").EnumerateArray(), r => r.GetProperty("actorName").GetString() == "Aud Auditor");
    }

    [Fact]
    public async Task SupportLookIn_NeedsAReason_AndAppearsInTheTenantsLog()
    {
        using var support = app.NewClient();
        await support.SignInAsync("support@portal.local");
        var acme = await TenantIdAsync("acme");

        var noReason = await support.PostAsJsonAsync("api/v1/support/look-ins", new { tenantId = acme, reason = "" });
        var withReason = await support.PostAsJsonAsync("api/v1/support/look-ins", new { tenantId = acme, reason = "Ticket 4711: deploy stuck" });

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.Created, withReason.StatusCode);
        using var acmeAdmin = app.NewClient();
        await acmeAdmin.SignInAsync("admin@demo.local");
        var log = await acmeAdmin.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?tenantId={acme}&action=support.look_in");
        var record = Assert.Single(log.GetProperty("records").EnumerateArray());
        Assert.Equal("Ticket 4711: deploy stuck", record.GetProperty("reason").GetString());
        Assert.Equal("Sam Support", record.GetProperty("actorName").GetString());
    }

    [Fact]
    public async Task PublicKey_IsDownloadableWithoutSigningIn()
    {
        using var anonymous = app.NewClient();
        var pem = await anonymous.GetStringAsync("api/v1/audit/public-key");
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", pem);
    }

    private static async Task<(int Code, string Output, string Error)> RunCliAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await PortalCommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
