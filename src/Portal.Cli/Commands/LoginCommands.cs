using System.CommandLine;
using Portal.Cli.Connection;

namespace Portal.Cli.Commands;

/// <summary><c>portal login</c>, <c>portal logout</c>, <c>portal whoami</c>.</summary>
internal static class LoginCommands
{
    public static IEnumerable<Command> Create(Globals globals)
    {
        var clientId = new Option<string?>("--client-id") { Description = "An automation client's id (client credentials, for CI).", HelpName = "ID" };
        var clientSecret = new Option<string?>("--client-secret")
        {
            Description = "The client's secret (default: PORTAL_CLIENT_SECRET). Prefer the variable: arguments show in process lists.",
            HelpName = "SECRET",
        };
        var login = new Command("login", """
            Sign in to a portal and keep the tokens for the next commands (credentials.json in ~/.config/portal, mode 0600).
            Without --client-id you sign in as yourself: the command shows a code, you open the portal's /connect/verify
            page in a browser where you are signed in, enter the code and approve.

            Examples:
              portal login --portal https://portal.example.com
              portal login --portal http://localhost:5080 --client-id demo-automation --client-secret "$SECRET"
            """)
        {
            clientId,
            clientSecret,
        };
        globals.SetAction(login, async run =>
        {
            var store = new CredentialStore(run.Settings.ConfigDirectory);
            StoredCredential credential;
            if (run.Value(clientId) is { } id)
            {
                var secret = run.Value(clientSecret) ?? run.Settings.Environment("PORTAL_CLIENT_SECRET")
                    ?? throw new CliUsageException("--client-id needs --client-secret (or PORTAL_CLIENT_SECRET).");
                credential = await run.Portal.Tokens.ClientCredentialsAsync(id, secret, run.CancellationToken);
            }
            else
            {
                var device = await run.Portal.Tokens.StartDeviceAuthorizationAsync(run.CancellationToken);
                await run.Error.WriteLineAsync($"To sign in, open {device.VerificationUri} and enter the code {device.UserCode}");
                if (device.VerificationUriComplete is { } complete)
                {
                    await run.Error.WriteLineAsync($"(or open {complete})");
                }

                await run.Error.WriteLineAsync($"Waiting for approval (the code expires in {device.ExpiresIn.TotalMinutes:0} minutes)…");
                credential = await run.Portal.Tokens.WaitForDeviceApprovalAsync(device, run.Settings.DevicePollInterval, run.CancellationToken);
            }

            store.Save(run.Portal.Portal, credential);
            var me = await run.Portal.GetAsync("me", run.CancellationToken);
            return run.Print(me, body => run.Out.WriteLine(
                $"Logged in to {run.Portal.Portal} as {body.Text("name")} ({body.Text("kind")}); tenants: "
                + string.Join(", ", body.Child("tenants").Items().Select(t => $"{t.Text("name")} ({t.Text("role")}, {t.Text("id")})"))));
        });

        var logout = new Command("logout", """
            Forget the stored tokens of a portal.

            Example:
              portal logout --portal https://portal.example.com
            """);
        globals.SetAction(logout, run =>
        {
            var removed = new CredentialStore(run.Settings.ConfigDirectory).Remove(run.Portal.Portal);
            run.Out.WriteLine(removed ? $"Logged out of {run.Portal.Portal}." : $"Was not logged in to {run.Portal.Portal}.");
            return Task.FromResult(ExitCodes.Success);
        });

        var whoami = new Command("whoami", """
            Who the stored login (or PORTAL_CLIENT_ID) is, and the tenants and roles it has.

            Example:
              portal whoami --output json
            """);
        globals.SetAction(whoami, async run =>
        {
            var me = await run.Portal.GetAsync("me", run.CancellationToken);
            return run.Print(me, body =>
            {
                run.Out.WriteLine($"{body.Text("name")} ({body.Text("kind")}) at {run.Portal.Portal}");
                Output.Table.Write(run.Out, ["TENANT", "ROLE", "ID"],
                    body.Child("tenants").Items().Select(t => new[] { t.Text("name"), t.Text("role"), t.Text("id") }), "No tenants.");
            });
        });

        return [login, logout, whoami];
    }
}
