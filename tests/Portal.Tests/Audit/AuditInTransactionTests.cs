using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Data;
using Portal.Tests.Support;

namespace Portal.Tests.Audit;

/// <summary>A change and its record commit together: when the record cannot be appended, the change is not kept either.</summary>
public sealed class AuditInTransactionTests
{
    [Fact]
    public async Task AKeyWhoseRecordCannotBeAppended_IsNotCreated_AndTheFailureIsNotRetried()
    {
        var failing = new FailingAppend("key.created");
        await using var app = new PortalApp()
            .WithServices(services => services.ConfigureDbContext<PortalDbContext>(options => options.AddInterceptors(failing), ServiceLifetime.Singleton));
        await ((IAsyncLifetime)app).InitializeAsync();
        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var name = $"unrecorded-{Guid.NewGuid():n}";

        var answer = await admin.PostAsJsonAsync("api/v1/keys", new { name });

        Assert.False(answer.IsSuccessStatusCode);
        Assert.Equal(1, failing.Refused);
        var keys = await admin.GetFromJsonAsync<JsonElement>("api/v1/keys");
        Assert.DoesNotContain(keys.EnumerateArray(), k => k.GetProperty("name").GetString() == name);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.False(await db.ApiKeys.AnyAsync(k => k.Name == name));
        Assert.False(await db.AuditRecords.AnyAsync(r => r.Action == "key.created"));
        Assert.Equal(0, app.Services.GetRequiredService<AuditAppendQueue>().LostRaces);

        // The same change goes through once its record can be appended, and the chain is whole.
        failing.Enabled = false;
        var created = await admin.PostAsJsonAsync("api/v1/keys", new { name });
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        Assert.True((await scope.ServiceProvider.GetRequiredService<AuditVerificationJob>().RunAsync(full: true)).IsValid);
    }

    /// <summary>The database refusing the audit record of one action, as a full disk or a broken column would.</summary>
    private sealed class FailingAppend(string action) : SaveChangesInterceptor
    {
        private int _refused;

        public bool Enabled { get; set; } = true;

        public int Refused => _refused;

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Enabled && eventData.Context!.ChangeTracker.Entries<AuditRecord>()
                    .Any(e => e.State == EntityState.Added && e.Entity.Action == action))
            {
                Interlocked.Increment(ref _refused);
                throw new DbUpdateException("The audit record was refused (injected).");
            }

            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }
}
