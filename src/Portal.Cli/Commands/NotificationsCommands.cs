using System.CommandLine;
using Portal.Cli.Connection;
using Portal.Cli.Output;

namespace Portal.Cli.Commands;

/// <summary>
/// <c>portal notifications list|add-email|add-chat|delete|test|log|quiet-hours</c>: where the tenant's notices go. A chat
/// webhook's URL is its credential, so it is read from an environment variable, never from the command line.
/// </summary>
internal static class NotificationsCommands
{
    public static Command Create(Globals globals)
    {
        var command = new Command("notifications", """
            The tenant's notification channels (email and Slack-compatible chat webhooks), quiet hours and delivery log.
            Changes are TenantAdmin's; every member reads them.

            Examples:
              portal notifications add-email on-call --to oncall@example.com,lead@example.com --kinds incident.opened,incident.resolved
              CHAT_WEBHOOK_URL=https://hooks.slack.com/services/... portal notifications add-chat "#alerts"
              portal notifications quiet-hours set --time-zone Europe/Berlin --from 22:00 --until 07:00
              portal notifications log
            """);

        var name = new Argument<string>("NAME") { Description = "The channel's name." };
        var kinds = new Option<string?>("--kinds")
        {
            Description = "Comma-separated kinds it receives (default: all): incident.opened, incident.resolved, budget.burn, signal.changed, "
                          + "spend.threshold, deployment.failed, deployment.ready, key.expiring.",
            HelpName = "KINDS",
        };
        string[]? Kinds(Invocation run) => run.Value(kinds)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        void PrintChannel(Invocation run, System.Text.Json.JsonElement c, string verb) =>
            run.Out.WriteLine($"Channel {c.Text("id")} \"{c.Text("name")}\" {verb}.");

        var list = new Command("list", """
            Channels: name, type, where they send, the kinds they receive.

            Example:
              portal notifications list
            """);
        globals.SetAction(list, async run => run.Print(await run.Portal.GetAsync("notifications/channels", run.CancellationToken), body =>
            Table.Write(run.Out, ["NAME", "TYPE", "SENDS TO", "KINDS", "ID"],
                body.Items().Select(c => new[]
                {
                    c.Text("name"), c.Text("type"),
                    c.Text("type") == "chat" ? c.Text("url") : c.Child("toTenantAdmins").GetBoolean() ? "the tenant's admins"
                        : string.Join(", ", c.Child("emailTo").EnumerateArray().Select(a => a.GetString())),
                    string.Join(",", c.Child("kinds").EnumerateArray().Select(k => k.GetString())), c.Text("id"),
                }),
                "No notification channels. Add one with: portal notifications add-email NAME --to you@example.com")));
        command.Subcommands.Add(list);

        var to = new Option<string?>("--to") { Description = "Comma-separated email addresses.", HelpName = "ADDRESSES" };
        var admins = new Option<bool>("--admins") { Description = "Write to the tenant's admins (their addresses at send time)." };
        var addEmail = new Command("add-email", """
            Add an email channel: listed addresses, or the tenant's admins.

            Examples:
              portal notifications add-email on-call --to oncall@example.com
              portal notifications add-email admins --admins --kinds key.expiring,spend.threshold
            """) { name, to, admins, kinds };
        globals.SetAction(addEmail, async run =>
        {
            var addresses = run.Value(to)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (addresses is null && !run.Value(admins))
            {
                throw new CliUsageException("Give --to ADDRESSES or --admins.");
            }

            var body = new { name = run.Value(name), type = "email", emailTo = addresses, toTenantAdmins = run.Value(admins), kinds = Kinds(run) };
            return run.Print(await run.Portal.PostAsync("notifications/channels", body, run.CancellationToken), c => PrintChannel(run, c, "added"));
        });
        command.Subcommands.Add(addEmail);

        var urlEnv = new Option<string>("--url-env")
        {
            Description = "Environment variable holding the incoming-webhook URL.", DefaultValueFactory = _ => "CHAT_WEBHOOK_URL", HelpName = "NAME",
        };
        var addChat = new Command("add-chat", """
            Add a Slack-compatible chat channel; its URL (from $CHAT_WEBHOOK_URL) is stored encrypted and shown masked.

            Example:
              CHAT_WEBHOOK_URL=https://hooks.slack.com/services/... portal notifications add-chat "#alerts" --kinds incident.opened
            """) { name, urlEnv, kinds };
        globals.SetAction(addChat, async run =>
        {
            var url = run.Settings.Environment(run.Value(urlEnv)) is { Length: > 0 } value
                ? value
                : throw new CliUsageException($"Set {run.Value(urlEnv)} in the environment (the URL is a credential and is not taken from the command line).");
            var body = new { name = run.Value(name), type = "chat", url, kinds = Kinds(run) };
            return run.Print(await run.Portal.PostAsync("notifications/channels", body, run.CancellationToken), c => PrintChannel(run, c, "added"));
        });
        command.Subcommands.Add(addChat);

        var id = new Argument<Guid>("CHANNEL-ID") { Description = "The channel's id (portal notifications list)." };
        var delete = new Command("delete", "Remove a channel.\n\nExample:\n  portal notifications delete 9b0c…") { id };
        globals.SetAction(delete, async run =>
            run.Print(await run.Portal.DeleteAsync($"notifications/channels/{run.Value(id)}", run.CancellationToken), c => PrintChannel(run, c, "deleted")));
        command.Subcommands.Add(delete);

        var test = new Command("test", "Send a test message to a channel now; exit 1 when it fails.\n\nExample:\n  portal notifications test 9b0c…") { id };
        globals.SetAction(test, async run =>
        {
            var body = await run.Portal.PostAsync($"notifications/channels/{run.Value(id)}/test", new { }, run.CancellationToken);
            run.Print(body, d => run.Out.WriteLine(d.Text("status") == "Sent" ? "Test message sent." : $"The test message failed: {d.Text("lastError")}"));
            return body.Text("status") == "Sent" ? ExitCodes.Success : ExitCodes.Failed;
        });
        command.Subcommands.Add(test);

        var limit = new Option<int?>("--limit") { Description = "How many deliveries, newest first (default 100, at most 500)." };
        var log = new Command("log", "The delivery log: what was sent, held for a digest, retried or failed.\n\nExample:\n  portal notifications log --limit 20") { limit };
        globals.SetAction(log, async run => run.Print(
            await run.Portal.GetAsync($"notifications/deliveries?limit={run.Value(limit) ?? 100}", run.CancellationToken), body =>
                Table.Write(run.Out, ["WHEN", "CHANNEL", "KIND", "TITLE", "STATUS", "ATTEMPTS", "ERROR"],
                    body.Items().Select(d => new[]
                    {
                        d.Text("createdAt"), d.Text("channelName") ?? d.Text("channelType"), d.Text("kind"), d.Text("title"), d.Text("status"),
                        d.Child("attempts").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), d.Text("lastError"),
                    }),
                    "Nothing sent yet.")));
        command.Subcommands.Add(log);

        command.Subcommands.Add(QuietHours(globals));
        return command;
    }

    private static Command QuietHours(Globals globals)
    {
        var command = new Command("quiet-hours", """
            Quiet hours and the daily digest: notices inside quiet hours go out as one digest per channel when they end.

            Examples:
              portal notifications quiet-hours show
              portal notifications quiet-hours set --time-zone Europe/Berlin --from 22:00 --until 07:00
            """);
        void PrintSettings(Invocation run, System.Text.Json.JsonElement s) => run.Out.WriteLine(
            (s.Text("quietStart") is { } from ? $"Quiet {from}–{s.Text("quietEnd")} {s.Text("timeZone")}" : $"No quiet hours ({s.Text("timeZone")})")
            + (s.Child("digestOnly").GetBoolean() ? $"; digest only, daily at {s.Child("digestHour").GetInt32()}:00" : "")
            + (s.Child("incidentsAlwaysSend").GetBoolean() ? "; incidents always send." : "."));

        var show = new Command("show", "The tenant's quiet hours and digest.\n\nExample:\n  portal notifications quiet-hours show");
        globals.SetAction(show, async run => run.Print(await run.Portal.GetAsync("notifications/settings", run.CancellationToken), s => PrintSettings(run, s)));
        command.Subcommands.Add(show);

        var zone = new Option<string>("--time-zone") { Description = "IANA time zone, e.g. Europe/Berlin.", DefaultValueFactory = _ => "UTC", HelpName = "ZONE" };
        var from = new Option<string?>("--from") { Description = "Quiet hours start, local HH:mm (omit both for none).", HelpName = "HH:MM" };
        var until = new Option<string?>("--until") { Description = "Quiet hours end, local HH:mm.", HelpName = "HH:MM" };
        var digestOnly = new Option<bool>("--digest-only") { Description = "Hold every notice for the daily digest." };
        var digestHour = new Option<int>("--digest-hour") { Description = "The digest's local hour, 0–23 (default 8).", DefaultValueFactory = _ => 8 };
        var incidents = new Option<bool>("--incidents-always-send") { Description = "Let incident opened and resolved through quiet hours and the digest." };
        var set = new Command("set", """
            Set quiet hours and the digest (replaces what is set).

            Examples:
              portal notifications quiet-hours set --time-zone Europe/Berlin --from 22:00 --until 07:00 --incidents-always-send
              portal notifications quiet-hours set --digest-only --digest-hour 9 --time-zone America/New_York
            """) { zone, from, until, digestOnly, digestHour, incidents };
        globals.SetAction(set, async run => run.Print(await run.Portal.PutAsync("notifications/settings", new
        {
            timeZone = run.Value(zone), quietStart = run.Value(from), quietEnd = run.Value(until), digestOnly = run.Value(digestOnly),
            digestHour = run.Value(digestHour), incidentsAlwaysSend = run.Value(incidents),
        }, run.CancellationToken), s => PrintSettings(run, s)));
        command.Subcommands.Add(set);
        return command;
    }
}
