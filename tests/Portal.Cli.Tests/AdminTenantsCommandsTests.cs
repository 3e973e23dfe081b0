using System.IO.Compression;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Portal.Tests.Support;

namespace Portal.Cli.Tests;

/// <summary>
/// <c>portal admin tenants</c> as a platform operator logged in with the device flow: create and list tenants, invite a
/// tenant's first admin; an automation client (a tenant's TenantAdmin) is refused with the portal's reason and exit code 1.
/// </summary>
public sealed partial class AdminTenantsCommandsTests(CliPortal portal) : IClassFixture<CliPortal>
{
    private sealed class WatchedError : StringWriter
    {
        public TaskCompletionSource<string> Code { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && CodePattern().Match(value) is { Success: true } match)
            {
                Code.TrySetResult(match.Groups["code"].Value);
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }

    [GeneratedRegex(@"enter the code (?<code>\S+)")]
    private static partial Regex CodePattern();

    /// <summary><c>portal login</c>, approved in a browser session of the platform operator.</summary>
    private async Task LoginAsOperatorAsync(CliRun cli)
    {
        var error = new WatchedError();
        var login = cli.RunAsync(error, "login", "--portal", portal.Url);
        var code = await error.Code.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var browser = portal.App.NewClient();
        await browser.SignInAsync("operator@portal.local");
        var page = await browser.GetStringAsync($"connect/verify?user_code={Uri.EscapeDataString(code)}");
        var fields = PortalClient.HiddenInputs(page);
        fields["decision"] = "approve";
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("connect/verify/decision", new FormUrlEncodedContent(fields))).StatusCode);
        var result = await login.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Operator_CreatesAndListsTenants()
    {
        using var cli = new CliRun();
        await LoginAsOperatorAsync(cli);

        var create = await cli.RunAsync("admin", "tenants", "create", "--name", "Cli Customer", "--slug", "cli-customer");
        var duplicate = await cli.RunAsync("admin", "tenants", "create", "--name", "Again", "--slug", "cli-customer");
        var list = await cli.RunAsync("admin", "tenants", "list");
        var json = await cli.RunAsync("admin", "tenants", "list", "--output", "json");

        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.Contains("Tenant Cli Customer (cli-customer) created", create.Output);
        Assert.True(duplicate.ExitCode == 1, duplicate.ToString());
        Assert.Contains("The slug 'cli-customer' is taken", duplicate.Error);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains(list.Output.Split('\n'), line => line.Contains("Cli Customer") && line.Contains("cli-customer") && line.Contains("Active"));
        Assert.Contains(list.Output.Split('\n'), line => line.Contains("Demo Inc.") && line.Contains("demo"));
        var tenants = JsonDocument.Parse(json.Output).RootElement.EnumerateArray().ToList();
        Assert.Contains(tenants, t => t.GetProperty("slug").GetString() == "cli-customer" && t.GetProperty("state").GetString() == "Active");
    }

    [Fact]
    public async Task Operator_ExportsATenantBySlug_ToAZipWhoseAuditPartVerifies()
    {
        using var cli = new CliRun();
        await LoginAsOperatorAsync(cli);
        Assert.Equal(0, (await cli.RunAsync("admin", "tenants", "create", "--name", "Leaving Customer", "--slug", "leaving-customer")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("admin", "tenants", "suspend", "leaving-customer", "--reason", "Offboarding")).ExitCode);

        var export = await cli.RunAsync("admin", "tenants", "export", "leaving-customer", "--out", cli.PathOf("leaving.zip"));
        var unknown = await cli.RunAsync("admin", "tenants", "export", "no-such-tenant", "--out", cli.PathOf("none.zip"));

        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains("leaving.zip", export.Error);
        using (var zip = ZipFile.OpenRead(cli.PathOf("leaving.zip")))
        {
            Assert.Equal(["audit.jsonl", "configuration.json", "manifest.json", "samples.jsonl"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
            zip.GetEntry("audit.jsonl")!.ExtractToFile(cli.PathOf("leaving-audit.jsonl"));
        }

        Assert.Equal(0, (await cli.RunAsync("audit", "public-key", "-o", cli.PathOf("audit.pem"))).ExitCode);
        var verified = await cli.RunAsync("audit", "verify", cli.PathOf("leaving-audit.jsonl"), "--public-key", cli.PathOf("audit.pem"));
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Contains("OK: ", verified.Output);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("No tenant with the slug 'no-such-tenant'", unknown.Error);
        Assert.False(File.Exists(cli.PathOf("none.zip")));
    }

    [Fact]
    public async Task Operator_InvitesATenantsFirstAdmin_ByTheTenantsSlug_AndTheInvitationIsMailed()
    {
        using var cli = new CliRun();
        await LoginAsOperatorAsync(cli);
        var email = $"cli-admin-{Guid.NewGuid():n}@example.com";
        Assert.Equal(0, (await cli.RunAsync("admin", "tenants", "create", "--name", "Cli Handover", "--slug", "cli-handover")).ExitCode);

        var invite = await cli.RunAsync("admin", "tenants", "invite", "cli-handover", "--email", email);
        var unknown = await cli.RunAsync("admin", "tenants", "invite", "no-such-tenant", "--email", email);
        var bad = await cli.RunAsync("admin", "tenants", "invite", "cli-handover", "--email", "not an address");

        Assert.True(invite.ExitCode == 0, invite.ToString());
        Assert.Contains($"Invited {email} as TenantAdmin", invite.Output);
        var mail = await portal.App.Mail.WaitForMessageAsync(email);
        Assert.Contains("Cli Handover", mail.Subject);
        Assert.Contains("/account/invitation?token=", mail.TextBody);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("No tenant with the slug 'no-such-tenant'", unknown.Error);
        Assert.True(bad.ExitCode == 1, bad.ToString());
        Assert.Contains("Enter a valid email address.", bad.Error);
    }

    [Fact]
    public async Task AnAutomationClient_IsRefusedWithTheReason_AndExitsOne()
    {
        using var cli = new CliRun();
        var login = await cli.RunAsync("login", "--portal", portal.Url, "--client-id", PortalApp.ClientId, "--client-secret", PortalApp.ClientSecret);
        Assert.True(login.ExitCode == 0, login.ToString());

        var create = await cli.RunAsync("admin", "tenants", "create", "--name", "Sneaky", "--slug", "sneaky");
        var list = await cli.RunAsync("admin", "tenants", "list");

        Assert.Equal((1, 1), (create.ExitCode, list.ExitCode));
        Assert.Contains("Only a platform operator manages tenants; you are an automation client.", create.Error);
    }

    [Fact]
    public async Task Operator_EndsEverySessionOfAPerson()
    {
        using var cli = new CliRun();
        await LoginAsOperatorAsync(cli);
        using var person = portal.App.NewClient();
        await person.SignInAsync("auditor@demo.local");

        var ended = await cli.RunAsync("admin", "accounts", "end-sessions", "--email", "auditor@demo.local", "--reason", "Ticket #88");
        var unknown = await cli.RunAsync("admin", "accounts", "end-sessions", "--email", "nobody@nowhere.example", "--reason", "Ticket #89");

        Assert.True(ended.ExitCode == 0, ended.ToString());
        Assert.Contains("Every session of auditor@demo.local has ended.", ended.Output);
        Assert.True(unknown.ExitCode == 1, unknown.ToString());
        Assert.Contains("No account has that email address.", unknown.Error);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await person.GetAsync("api/v1/me")).StatusCode != HttpStatusCode.Unauthorized && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await person.GetAsync("api/v1/me")).StatusCode);
    }
}
