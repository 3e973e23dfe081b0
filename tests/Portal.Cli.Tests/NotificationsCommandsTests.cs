using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Cli.Tests;

/// <summary><c>portal notifications</c> against the real portal and its SMTP sink.</summary>
public sealed class NotificationsCommandsTests(CliPortal portal) : IClassFixture<CliPortal>
{
    private string[] Login() =>
        ["login", "--portal", portal.Url, "--client-id", PortalApp.ClientId, "--client-secret", PortalApp.ClientSecret];

    [Fact]
    public async Task AddEmail_Test_Log_QuietHours_Delete()
    {
        using var cli = new CliRun();
        Assert.Equal(0, (await cli.RunAsync(Login())).ExitCode);

        var added = await cli.RunAsync("notifications", "add-email", "cli inbox", "--to", "cli-oncall@example.com", "--kinds", "incident.opened,key.expiring");
        Assert.True(added.ExitCode == 0, added.ToString());
        var channel = JsonDocument.Parse((await cli.RunAsync("notifications", "list", "--output", "json")).Output).RootElement.EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "cli inbox");
        Assert.Equal(["incident.opened", "key.expiring"], channel.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));
        var id = channel.GetProperty("id").GetString()!;

        var tested = await cli.RunAsync("notifications", "test", id);
        Assert.True(tested.ExitCode == 0, tested.ToString());
        Assert.Contains("Test message sent.", tested.Output);
        Assert.Equal("[Portal] Test message for \"cli inbox\"", (await portal.App.Mail.WaitForMessageAsync("cli-oncall@example.com")).Subject);
        var log = await cli.RunAsync("notifications", "log");
        Assert.Contains("cli inbox", log.Output);
        Assert.Contains("Sent", log.Output);

        var set = await cli.RunAsync("notifications", "quiet-hours", "set", "--time-zone", "Europe/Berlin", "--from", "22:00", "--until", "07:00");
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Contains("Quiet 22:00–07:00 Europe/Berlin", (await cli.RunAsync("notifications", "quiet-hours", "show")).Output);
        var bad = await cli.RunAsync("notifications", "quiet-hours", "set", "--time-zone", "Nowhere/Else");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("IANA time zone", bad.Error);
        Assert.Equal(0, (await cli.RunAsync("notifications", "quiet-hours", "set")).ExitCode);

        Assert.Equal(0, (await cli.RunAsync("notifications", "delete", id)).ExitCode);
        Assert.DoesNotContain("cli inbox", (await cli.RunAsync("notifications", "list")).Output);
    }

    [Fact]
    public async Task AddChat_WithoutTheUrlInTheEnvironment_IsAUsageError()
    {
        using var cli = new CliRun();
        Assert.Equal(0, (await cli.RunAsync(Login())).ExitCode);

        var result = await cli.RunAsync("notifications", "add-chat", "#alerts");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("CHAT_WEBHOOK_URL", result.Error);
    }
}
