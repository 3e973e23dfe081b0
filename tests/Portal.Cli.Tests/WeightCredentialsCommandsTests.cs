using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Cli.Tests;

/// <summary><c>portal weight-credentials</c> against the real portal: secrets come from the environment and are printed by no command.</summary>
public sealed class WeightCredentialsCommandsTests(CliPortal portal) : IClassFixture<CliPortal>
{
    private const string Secret = "cli-secret-key-3a9f70";
    private const string RotatedSecret = "cli-rotated-key-b81e24";

    private string[] Login() =>
        ["login", "--portal", portal.Url, "--client-id", PortalApp.ClientId, "--client-secret", PortalApp.ClientSecret];

    [Fact]
    public async Task AddListRotateDelete_TakesSecretsFromTheEnvironment_AndNeverPrintsThem()
    {
        using var cli = new CliRun(new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "AKIACLIEXAMPLE01", ["AWS_SECRET_ACCESS_KEY"] = Secret });
        Assert.Equal(0, (await cli.RunAsync(Login())).ExitCode);

        var added = await cli.RunAsync("weight-credentials", "add", "s3", "--endpoint", "https://minio.example.test", "--region", "eu-central-1");
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains("ObjectStore credential", added.Output);
        Assert.DoesNotContain(Secret, added.Output + added.Error);

        var list = await cli.RunAsync("weight-credentials", "list", "--output", "json");
        var stored = Assert.Single(JsonDocument.Parse(list.Output).RootElement.EnumerateArray());
        Assert.Equal("https://minio.example.test", stored.GetProperty("endpoint").GetString());
        Assert.DoesNotContain(Secret, list.Output);
        var id = stored.GetProperty("id").GetString()!;

        cli.Environment["MINIO_SECRET"] = RotatedSecret;
        var rotated = await cli.RunAsync("weight-credentials", "rotate", id, "s3", "--secret-env", "MINIO_SECRET");
        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        Assert.DoesNotContain(RotatedSecret, rotated.Output);
        var table = await cli.RunAsync("weight-credentials", "list");
        Assert.Contains("AKIA…LE01", table.Output);
        Assert.DoesNotContain("never", table.Output);

        var deleted = await cli.RunAsync("weight-credentials", "delete", id);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Contains("No weight credentials", (await cli.RunAsync("weight-credentials", "list")).Output);
    }

    [Fact]
    public async Task Add_WithTheSecretMissingFromTheEnvironment_IsAUsageError_AndStoresNothing()
    {
        using var cli = new CliRun();
        Assert.Equal(0, (await cli.RunAsync(Login())).ExitCode);

        var result = await cli.RunAsync("weight-credentials", "add", "huggingface");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("HF_TOKEN", result.Error);
        Assert.DoesNotContain("HuggingFace", (await cli.RunAsync("weight-credentials", "list")).Output);
    }
}
