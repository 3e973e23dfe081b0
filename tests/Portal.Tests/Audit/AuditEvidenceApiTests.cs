using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Data;
using Portal.Tests.Support;

namespace Portal.Tests.Audit;

/// <summary>The evidence package over real HTTP, verified as an auditor would: offline, with the published keys.</summary>
public sealed class AuditEvidenceApiTests(PortalApp app) : IClassFixture<PortalApp>
{
    private async Task<Guid> TenantIdAsync(string slug)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
    }

    private static string Period(Guid tenant) =>
        $"api/v1/audit/evidence?tenantId={tenant}&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"))}"
        + $"&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}";

    private static Dictionary<string, byte[]> Unzip(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        });
    }

    [Fact]
    public async Task Auditor_GetsAPackageThatVerifiesOffline_AndAChangedFileIsDetected()
    {
        using var auditor = app.NewClient();
        await auditor.SignInAsync("auditor@demo.local");
        var demo = await TenantIdAsync("demo");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AuditCheckpointJob>().RunAsync();
        }

        var response = await auditor.GetAsync(Period(demo));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var files = Unzip(await response.Content.ReadAsByteArrayAsync());
        using var keys = AuditKeyDocument.Read(await auditor.GetStringAsync(Portal.Api.AuditApi.KeysPath));

        var verified = AuditEvidenceVerifier.Verify(files, keys);
        var review = JsonDocument.Parse(files["access-review.json"]).RootElement;
        files["access-review.json"] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(files["access-review.json"]).Replace("Auditor", "Operator"));
        var tampered = AuditEvidenceVerifier.Verify(files, keys);

        Assert.True(verified.IsValid, verified.Message);
        Assert.Equal(
            ["access-review.json", "audit-keys.json", "audit.jsonl", "index.json", "residency.json", "sla.json", "verification.json"],
            files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(AuditExportCoverage.TimeRange, verified.Audit!.Coverage);
        Assert.Contains(review.GetProperty("members").EnumerateArray(), m => m.GetProperty("role").GetString() == "Auditor");
        Assert.False(tampered.IsValid);
        Assert.Equal("access-review.json does not match its SHA-256 in the signed index: it was changed", tampered.Message);
    }

    [Fact]
    public async Task Developer_IsRefused_AndTheRefusalIsRecorded()
    {
        using var developer = app.NewClient();
        await developer.SignInAsync("dev@demo.local");
        var demo = await TenantIdAsync("demo");

        var response = await developer.GetAsync(Period(demo));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditRecords
            .AnyAsync(r => r.Action == AuditEvidencePackage.Action && r.TenantId == demo && r.Outcome == AuditOutcome.Denied));
    }

    [Fact]
    public async Task MissingOrBackwardsPeriod_IsAClear400()
    {
        using var auditor = app.NewClient();
        await auditor.SignInAsync("auditor@demo.local");
        var demo = await TenantIdAsync("demo");

        var missing = await auditor.GetAsync($"api/v1/audit/evidence?tenantId={demo}&from=2026-01-01T00:00:00Z");
        var backwards = await auditor.GetAsync($"api/v1/audit/evidence?tenantId={demo}&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z");

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("Give the period", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Contains("must be after its start", await backwards.Content.ReadAsStringAsync());
    }
}
