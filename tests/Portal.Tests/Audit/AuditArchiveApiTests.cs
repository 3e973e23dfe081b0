using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Api;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Data;
using Portal.Tests.Support;

namespace Portal.Tests.Audit;

/// <summary>The retention archive's files over real HTTP: listed and downloaded per chain, and carried by the evidence package.</summary>
public sealed class AuditArchiveApiTests(PortalApp app) : IClassFixture<PortalApp>
{
    private async Task<Guid> ArchiveDemoAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var demo = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Tenants.Where(t => t.Slug == "demo").Select(t => t.Id).SingleAsync();
        var log = scope.ServiceProvider.GetRequiredService<AuditLog>();
        for (var i = 0; i < 3; i++)
        {
            await log.RecordAnonymousAsync("tester", "Test Actor", demo, "test.old", "test", $"demo-{i}", AuditOutcome.Success);
            await log.RecordAnonymousAsync("tester", "Test Actor", null, "test.old", "test", $"platform-{i}", AuditOutcome.Success);
        }

        await scope.ServiceProvider.GetRequiredService<AuditCheckpointJob>().RunAsync();
        await scope.ServiceProvider.GetRequiredService<AuditArchiver>().ArchiveAsync(DateTimeOffset.UtcNow);
        return demo;
    }

    [Fact]
    public async Task Auditor_ListsAndDownloadsTheTenantsArchive_WhichVerifiesOffline()
    {
        var demo = await ArchiveDemoAsync();
        using var auditor = app.NewClient();
        await auditor.SignInAsync("auditor@demo.local");

        var archives = await auditor.GetFromJsonAsync<List<AuditArchiveResponse>>($"api/v1/audit/archives?tenantId={demo}");
        Assert.NotNull(archives);
        Assert.NotEmpty(archives);
        Assert.All(archives, a => Assert.Equal(AuditChain.Of(demo), a.Chain));
        var file = await auditor.GetStringAsync($"api/v1/audit/archives/{archives[0].Id}?tenantId={demo}");
        using var keys = AuditKeyDocument.Read(await auditor.GetStringAsync(AuditApi.KeysPath));
        var verified = AuditExportVerifier.Verify(new StringReader(file), keys);

        Assert.True(verified.IsValid, verified.Message);
        Assert.Equal(archives[0].RecordCount, verified.RecordCount);
        await using var scope = app.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditRecords
            .AnyAsync(r => r.TenantId == demo && r.Action == "audit.archive_downloaded" && r.ResourceId == archives[0].FileName));
    }

    [Fact]
    public async Task ArchiveOfAnotherChain_IsNotFound_AndADeveloperIsRefused()
    {
        var demo = await ArchiveDemoAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var platform = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditArchives
                .Where(a => a.Chain == AuditChain.Platform).Select(a => a.Id).FirstAsync();
            using var auditor = app.NewClient();
            await auditor.SignInAsync("auditor@demo.local");
            Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync($"api/v1/audit/archives/{platform}?tenantId={demo}")).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await auditor.GetAsync("api/v1/audit/archives")).StatusCode);
        }

        using var developer = app.NewClient();
        await developer.SignInAsync("dev@demo.local");
        Assert.Equal(HttpStatusCode.Forbidden, (await developer.GetAsync($"api/v1/audit/archives?tenantId={demo}")).StatusCode);
    }

    [Fact]
    public async Task EvidencePackage_CarriesTheArchiveFilesOfItsPeriod_AndVerifies()
    {
        var demo = await ArchiveDemoAsync();
        using var auditor = app.NewClient();
        await auditor.SignInAsync("auditor@demo.local");

        var response = await auditor.GetAsync($"api/v1/audit/evidence?tenantId={demo}"
            + $"&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var files = zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        });
        using var keys = AuditKeyDocument.Read(await auditor.GetStringAsync(AuditApi.KeysPath));

        var package = AuditEvidenceVerifier.Verify(files, keys);
        var archived = files.Where(f => f.Key.StartsWith(AuditEvidencePackage.ArchiveFolder, StringComparison.Ordinal)).ToList();

        Assert.True(package.IsValid, package.Message);
        Assert.NotEmpty(archived);
        Assert.All(archived, f => Assert.True(AuditExportVerifier.Verify(new StringReader(Encoding.UTF8.GetString(f.Value)), keys).IsValid, f.Key));
    }
}
