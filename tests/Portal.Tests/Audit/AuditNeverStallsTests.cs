using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Data;
using Portal.Tests.Support;

namespace Portal.Tests.Audit;

/// <summary>
/// Requests whose audit records once failed their columns (and then held every appender behind a retry loop): each is
/// now recorded with a placeholder or a visibly cut value, and the next person's change goes straight through.
/// </summary>
public sealed class AuditNeverStallsTests(PortalApp app) : IClassFixture<PortalApp>
{
    [Fact]
    public async Task AnAuditorCreatingAKeyWithoutAName_IsRecordedWithAPlaceholder_AndTheNextChangeIsNotHeldUp()
    {
        using var auditor = app.NewClient();
        await auditor.SignInAsync("auditor@demo.local");

        var refused = await auditor.PostAsJsonAsync("api/v1/keys", new { });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var record = await LastRecordAsync("key.create");
        Assert.Equal(AuditOutcome.Denied, record.Outcome);
        Assert.Equal(AuditBounds.Missing, record.ResourceId);
        await AnUnrelatedAdminChangeGoesThroughAsync();
    }

    [Fact]
    public async Task ADeveloperCreatingAServerlessEndpointFromNothing_IsToldWhatIsMissing_AndTheNextChangeIsNotHeldUp()
    {
        using var developer = app.NewClient();
        await developer.SignInAsync("dev@demo.local");

        var refused = await developer.PostAsJsonAsync("api/v1/endpoints/serverless", new { });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("Name", out _));
        Assert.True(errors.TryGetProperty("Target", out _));
        await AnUnrelatedAdminChangeGoesThroughAsync();
    }

    [Fact]
    public async Task ASignInWithA300CharacterEmail_IsRecordedCutToItsColumns_AndTheNextChangeIsNotHeldUp()
    {
        using var stranger = app.NewClient();
        var email = new string('a', 290) + "@demo.local";

        var answer = await stranger.SubmitLoginAsync(email, "whatever-password");

        Assert.True((int)answer.StatusCode < 500, $"Answered {answer.StatusCode}");
        var record = await LastRecordAsync("auth.sign_in_failed");
        Assert.Equal(AuditBounds.ActorName, record.ActorName.Length);
        Assert.EndsWith(AuditBounds.TruncationMarker(email.Length), record.ActorName);
        Assert.StartsWith("aaaa", record.ActorName);
        Assert.True(record.ResourceId.Length <= AuditBounds.ResourceId);
        await AnUnrelatedAdminChangeGoesThroughAsync();
    }

    private async Task AnUnrelatedAdminChangeGoesThroughAsync()
    {
        // Loose on purpose: the old retry loop held the next appender for seconds; no timing is judged closely here.
        using var admin = app.NewClient();
        admin.Timeout = TimeSpan.FromSeconds(5);
        await admin.SignInAsync("admin@demo.local");

        var created = await admin.PostAsJsonAsync("api/v1/keys", new { name = $"after-{Guid.NewGuid():n}" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(0, app.Services.GetRequiredService<AuditAppendQueue>().LostRaces);
        Assert.Equal("key.created", (await LastRecordAsync("key.created")).Action);
        await using var scope = app.Services.CreateAsyncScope();
        var verification = await scope.ServiceProvider.GetRequiredService<AuditVerificationJob>().RunAsync(full: true);
        Assert.True(verification.IsValid, verification.Message);
    }

    private async Task<AuditRecord> LastRecordAsync(string action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.AuditRecords.AsNoTracking().Where(r => r.Action == action).OrderByDescending(r => r.Sequence).FirstAsync();
    }
}
