using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Tenancy;
using Portal.Tests.Support;

namespace Portal.Tests.Tenancy;

/// <summary>
/// The change runner on the real portal's SQLite database, with the seeded people as callers: who is refused, what is
/// not found, and that a change and its audit record are saved together or not at all.
/// </summary>
public sealed class TenantChangeRunnerTests(PortalApp app) : IClassFixture<PortalApp>
{
    private const string Action = "pipeline.rename";
    private static readonly ChangePermission Renaming = new(AccessPolicy.CanChange, "Renaming pipelines is for TenantAdmin and Developer");

    [Fact]
    public async Task ForbiddenCaller_IsRefusedAndRecorded_BeforeAnythingIsLoaded()
    {
        var demo = await TenantAsync("Demo Inc.");
        var pipeline = await PipelineAsync(demo, "forbidden");
        var auditor = await CallerAsync("auditor@demo.local");
        var stepRan = false;

        var result = await RunAsync(auditor, demo, pipeline.Id, (p, _) =>
        {
            stepRan = true;
            p.Name = "changed";
            return Renamed(p);
        });

        Assert.Equal(ServiceStatus.Forbidden, result.Status);
        Assert.Equal("Renaming pipelines is for TenantAdmin and Developer; you are Auditor.", result.Message);
        Assert.False(stepRan);
        Assert.Equal("forbidden", await NameAsync(pipeline.Id));
        var record = Assert.Single(await RecordsAsync(pipeline.Id));
        Assert.Equal((Action, AuditOutcome.Denied, demo), (record.Action, record.Outcome, record.TenantId!.Value));
        Assert.Equal(result.Message, record.Reason);
        Assert.Equal("Auditor", record.ActorRoles);
    }

    [Fact]
    public async Task MissingRow_IsNotFound_AndNothingIsRecorded()
    {
        var demo = await TenantAsync("Demo Inc.");
        var missing = Guid.NewGuid();
        var stepRan = false;

        var result = await RunAsync(await CallerAsync("dev@demo.local"), demo, missing, (p, _) =>
        {
            stepRan = true;
            return Renamed(p);
        });

        Assert.Equal(ServiceStatus.NotFound, result.Status);
        Assert.Equal("No such pipeline.", result.Message);
        Assert.False(stepRan);
        Assert.Empty(await RecordsAsync(missing));
    }

    [Fact]
    public async Task AnotherTenantsRow_IsNotFound_LikeAMissingOne_AndStaysUntouched()
    {
        var demo = await TenantAsync("Demo Inc.");
        var acmes = await PipelineAsync(await TenantAsync("Acme Research"), "acme-only");
        var stepRan = false;

        // A Developer of Demo names Acme's pipeline while acting in Demo: the answer is the one for a row that does not exist.
        var result = await RunAsync(await CallerAsync("dev@demo.local"), demo, acmes.Id, (p, _) =>
        {
            stepRan = true;
            p.Name = "taken-over";
            return Renamed(p);
        });

        Assert.Equal(ServiceStatus.NotFound, result.Status);
        Assert.Equal("No such pipeline.", result.Message);
        Assert.False(stepRan);
        Assert.Equal("acme-only", await NameAsync(acmes.Id));
        Assert.Empty(await RecordsAsync(acmes.Id));
    }

    [Fact]
    public async Task CallerOfAnotherTenant_IsNotFound_AndTheTenantIsNotRevealed()
    {
        var acme = await TenantAsync("Acme Research");
        var acmes = await PipelineAsync(acme, "acme-hidden");

        // The Developer of Demo is no member of Acme at all.
        var result = await RunAsync(await CallerAsync("dev@demo.local"), acme, acmes.Id, (p, _) => Renamed(p));

        Assert.Equal(ServiceStatus.NotFound, result.Status);
        Assert.Equal("No such tenant.", result.Message);
        Assert.Empty(await RecordsAsync(acmes.Id));
    }

    [Fact]
    public async Task Success_SavesTheChangeAndItsRecord_AndAnswersAfterTheCommit()
    {
        var demo = await TenantAsync("Demo Inc.");
        var pipeline = await PipelineAsync(demo, "before");
        string? seenByAnswer = null;

        var result = await RunAsync(await CallerAsync("dev@demo.local"), demo, pipeline.Id, (p, _) =>
        {
            var before = p.Name;
            p.Name = "after";
            return ChangeOutcome.Save(new ChangeRecord("pipeline.renamed", new { before, after = p.Name }), async () =>
            {
                // Another connection: what the answer sees is committed.
                seenByAnswer = await NameAsync(pipeline.Id);
                return ServiceResult<string>.Ok(p.Name);
            });
        });

        Assert.Equal(ServiceStatus.Ok, result.Status);
        Assert.Equal("after", result.Value);
        Assert.Equal("after", seenByAnswer);
        Assert.Equal("after", await NameAsync(pipeline.Id));
        var record = Assert.Single(await RecordsAsync(pipeline.Id));
        Assert.Equal(("pipeline.renamed", AuditOutcome.Success, "pipeline"), (record.Action, record.Outcome, record.ResourceType));
        Assert.Equal("Developer", record.ActorRoles);
        var details = JsonDocument.Parse(record.Details!).RootElement;
        Assert.Equal("before", details.GetProperty("before").GetString());
        Assert.Equal("after", details.GetProperty("after").GetString());
        Assert.True(await ChainIsValidAsync());
    }

    [Fact]
    public async Task StepThatThrows_SavesNothing_AndRecordsNothing()
    {
        var demo = await TenantAsync("Demo Inc.");
        var pipeline = await PipelineAsync(demo, "unthrown");
        var developer = await CallerAsync("dev@demo.local");

        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(developer, demo, pipeline.Id, (p, _) =>
        {
            p.Name = "half-done";
            throw new InvalidOperationException("The step failed midway.");
        }));

        Assert.Equal("unthrown", await NameAsync(pipeline.Id));
        Assert.Empty(await RecordsAsync(pipeline.Id));
    }

    [Fact]
    public async Task RefusalByTheStep_SavesNothing_AndIsRecordedOnlyWhenTheStepSaysSo()
    {
        var demo = await TenantAsync("Demo Inc.");
        var pipeline = await PipelineAsync(demo, "kept");
        var developer = await CallerAsync("dev@demo.local");

        var quiet = await RunAsync(developer, demo, pipeline.Id, (p, _) =>
        {
            p.Name = "refused-quietly";
            return ServiceResult<string>.Invalid("Name", "That name is not allowed.");
        });
        Assert.Empty(await RecordsAsync(pipeline.Id));
        var recorded = await RunAsync(developer, demo, pipeline.Id, (p, _) =>
        {
            p.Name = "refused-on-record";
            return ChangeOutcome.RefuseOnRecord(ServiceResult<string>.Invalid("Name", "That name is not allowed either."));
        });

        Assert.Equal((ServiceStatus.Invalid, ServiceStatus.Invalid), (quiet.Status, recorded.Status));
        Assert.Equal(["That name is not allowed."], quiet.Errors!["Name"]);
        Assert.Equal("kept", await NameAsync(pipeline.Id));
        var record = Assert.Single(await RecordsAsync(pipeline.Id));
        Assert.Equal((Action, AuditOutcome.Failure, "That name is not allowed either."), (record.Action, record.Outcome, record.Reason));
    }

    [Fact]
    public async Task WriteThatFailsAfterTheSave_RollsTheChangeBack_AndLeavesNoRecord()
    {
        var demo = await TenantAsync("Demo Inc.");
        var pipeline = await PipelineAsync(demo, "rolled-back");
        var other = await PipelineAsync(demo, "beside");
        var developer = await CallerAsync("dev@demo.local");

        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(developer, demo, pipeline.Id, (p, _) =>
        {
            p.Name = "saved-then-undone";
            return Renamed(p) with
            {
                AlsoWrite = async db =>
                {
                    await db.Pipelines.Where(x => x.Id == other.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Name, "also-undone"));
                    throw new InvalidOperationException("The second write failed.");
                },
            };
        }));

        Assert.Equal("rolled-back", await NameAsync(pipeline.Id));
        Assert.Equal("beside", await NameAsync(other.Id));
        Assert.Empty(await RecordsAsync(pipeline.Id));
    }

    [Fact]
    public async Task ChangesAndOtherAppendsAtOnce_KeepOneGapFreeValidChain()
    {
        var demo = await TenantAsync("Demo Inc.");
        var developer = await CallerAsync("dev@demo.local");
        var pipelines = new List<Pipeline>();
        for (var i = 0; i < 4; i++)
        {
            pipelines.Add(await PipelineAsync(demo, $"busy-{i}"));
        }

        var changers = pipelines.Select(pipeline => Task.Run(async () =>
        {
            for (var round = 0; round < 10; round++)
            {
                var result = await RunAsync(developer, demo, pipeline.Id, (p, _) =>
                {
                    p.Name = $"{pipeline.Name}-{round}";
                    return Renamed(p);
                });
                Assert.Equal(ServiceStatus.Ok, result.Status);
            }
        }));
        var appenders = Enumerable.Range(0, 4).Select(task => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await using var scope = app.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AuditLog>()
                    .RecordAsync(developer, demo, "test.appended", "test", $"{task}.{i}");
            }
        }));
        await Task.WhenAll(changers.Concat(appenders));

        await using var db = await CreateDbAsync();
        var sequences = await db.AuditRecords.OrderBy(r => r.Sequence).Select(r => r.Sequence).ToListAsync();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
        foreach (var pipeline in pipelines)
        {
            Assert.Equal(10, (await RecordsAsync(pipeline.Id)).Count);
            Assert.Equal($"{pipeline.Name}-9", await NameAsync(pipeline.Id));
        }

        Assert.True(await ChainIsValidAsync());
    }

    private static ChangeOutcome<string> Renamed(Pipeline p) => ChangeOutcome.Save(new ChangeRecord("pipeline.renamed", new { name = p.Name }), p.Name);

    private async Task<ServiceResult<string>> RunAsync(Caller caller, Guid tenantId, Guid pipelineId, Func<Pipeline, PortalDbContext, ChangeOutcome<string>> step)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<TenantChangeRunner>();
        return await runner.RunAsync(new TenantChange(caller, tenantId, Renaming, Action, "pipeline", pipelineId.ToString()),
            pipelines => pipelines.Where(p => p.Id == pipelineId), "No such pipeline.", step);
    }

    /// <summary>The seeded person as the portal resolves them on every request.</summary>
    private async Task<Caller> CallerAsync(string email)
    {
        await using var db = await CreateDbAsync();
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", userId.ToString())], "test"));
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<CallerResolver>().ResolveAsync(principal))!;
    }

    private async Task<Guid> TenantAsync(string name)
    {
        await using var db = await CreateDbAsync();
        return await db.Tenants.Where(t => t.Name == name).Select(t => t.Id).SingleAsync();
    }

    private async Task<Pipeline> PipelineAsync(Guid tenantId, string name)
    {
        await using var db = await CreateDbAsync();
        var pipeline = new Pipeline { TenantId = tenantId, Name = name, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        db.Pipelines.Add(pipeline);
        await db.SaveChangesAsync();
        return pipeline;
    }

    private async Task<string> NameAsync(Guid pipelineId)
    {
        await using var db = await CreateDbAsync();
        return await db.Pipelines.Where(p => p.Id == pipelineId).Select(p => p.Name).SingleAsync();
    }

    private async Task<List<AuditRecord>> RecordsAsync(Guid resourceId)
    {
        await using var db = await CreateDbAsync();
        return await db.AuditRecords.Where(r => r.ResourceId == resourceId.ToString()).OrderBy(r => r.Sequence).ToListAsync();
    }

    private async Task<bool> ChainIsValidAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<AuditVerificationJob>().RunAsync(full: true)).IsValid;
    }

    private Task<PortalDbContext> CreateDbAsync() => app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
}
