using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Tests.Support;

namespace Portal.Tests.Audit;

public sealed class NoSecretsInTheTrailTests(PortalApp app) : IClassFixture<PortalApp>
{
    [Fact]
    public async Task AFullScenario_LeavesNoPasswordTokenOrSecretInAnyRecord()
    {
        var secrets = new List<string> { PortalApp.Password, PortalApp.ClientSecret };
        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var typo = "Wrong-Password-" + Guid.NewGuid().ToString("n");
        secrets.Add(typo);
        await app.NewClient().SubmitLoginAsync("admin@demo.local", typo);
        await app.NewClient().SubmitLoginAsync("nobody@demo.local", typo);
        using var robot = app.NewClient();
        var token = await robot.ClientCredentialsTokenAsync(PortalApp.ClientId, PortalApp.ClientSecret);
        secrets.Add(token);
        await robot.GetWithTokenAsync("api/v1/me", token);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var demo = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Tenants.Where(t => t.Slug == "demo").Select(t => t.Id).SingleAsync();
            var temporary = "Temporary-" + Guid.NewGuid().ToString("n");
            secrets.Add(temporary);
            var email = $"s-{Guid.NewGuid():n}@demo.local";
            var (person, memberId) = await app.InviteAndJoinAsync(admin, demo, email, "Developer", temporary, "Secretive");
            person.Dispose();
            // The invitation's token travels only in the mail; it must not reach the trail either.
            var link = MailSink.LinkTo(app.Mail.MessagesTo(email).Single(), "/account/invitation");
            secrets.Add(link[(link.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..]);
            await admin.PatchAsJsonAsync($"api/v1/tenants/{demo}/members/{memberId}", new { disabled = true });
            await admin.GetAsync($"api/v1/audit/export?tenantId={demo}");
        }

        await using var check = app.Services.CreateAsyncScope();
        var records = await check.ServiceProvider.GetRequiredService<PortalDbContext>().AuditRecords.AsNoTracking().ToListAsync();

        var actions = records.Select(r => r.Action).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "auth.signed_in", "auth.sign_in_failed", "auth.token_issued", "invitation.sent", "invitation.accepted", "account.created", "member.disabled", "audit.exported",
        }, actions);
        foreach (var record in records)
        {
            var text = JsonSerializer.Serialize(record);
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text);
            }

            Assert.DoesNotContain("eyJ", text);
        }
    }
}
