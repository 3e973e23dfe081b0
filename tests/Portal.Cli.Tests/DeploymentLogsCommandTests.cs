using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Runtimes;
using Portal.Tests.Support;

namespace Portal.Cli.Tests;

/// <summary><c>portal deployments logs</c> against the real portal and a simulator replica on the local runtime.</summary>
public sealed class DeploymentLogsCommandTests(CliPortal portal) : IClassFixture<CliPortal>
{
    private string[] Login() =>
        ["login", "--portal", portal.Url, "--client-id", PortalApp.ClientId, "--client-secret", PortalApp.ClientSecret];

    [Fact]
    public async Task Logs_PrintsTheOnlyReplicasEngineOutput_Redacted_AndWritesAnAuditedFile()
    {
        using var cli = new CliRun();
        Assert.Equal(0, (await cli.RunAsync(Login())).ExitCode);
        var deploy = await cli.RunAsync("deploy", "--name", "cli-logs", "--model", "llama-3.1-8b-instruct", "--gpu", "h100-80gb", "--region", "us-east");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());

        var replica = (await portal.App.Services.GetRequiredService<IReplicaRuntime>().ListReplicasAsync(await DeploymentIdAsync("cli-logs"))).Single();
        await File.AppendAllTextAsync(replica.LogPath!, "Downloading weights with HF_TOKEN=hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123\n");

        var logs = await cli.RunAsync("deployments", "logs", "cli-logs", "--since", "10m");
        var grep = await cli.RunAsync("deployments", "logs", "cli-logs", "--grep", "startup complete", "--output", "json");
        var file = cli.PathOf("cli-logs.log");
        var download = await cli.RunAsync("deployments", "logs", "cli-logs", "--since", "1h", "-o", file);

        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.Contains("Application startup complete.", logs.Output);
        Assert.Contains("HF_TOKEN=[redacted]", logs.Output);
        Assert.DoesNotContain("hf_AbCd", logs.Output);
        var line = Assert.Single(grep.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\"text\":", line);
        Assert.True(download.ExitCode == 0, download.ToString());
        Assert.Contains("Application startup complete.", await File.ReadAllTextAsync(file));
        await using var scope = portal.App.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditRecords
            .AnyAsync(r => r.Action == "replica.logs_downloaded"));
    }

    private async Task<Guid> DeploymentIdAsync(string name)
    {
        await using var scope = portal.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Deployments.Where(d => d.Name == name).Select(d => d.Id).SingleAsync();
    }

    [Fact]
    public async Task Logs_OfAnUnknownReplica_FailsWithThePortalsAnswer()
    {
        using var cli = new CliRun();
        Assert.Equal(0, (await cli.RunAsync(Login())).ExitCode);
        var deploy = await cli.RunAsync("deploy", "--name", "cli-logs-unknown", "--model", "llama-3.1-8b-instruct", "--gpu", "h100-80gb", "--region", "us-east", "--no-wait");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());

        var result = await cli.RunAsync("deployments", "logs", "cli-logs-unknown", "--replica", "r-doesnotexist");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("404", result.Error);
    }
}
