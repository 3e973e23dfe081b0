using System.CommandLine;
using Portal.Cli.Connection;
using Portal.Cli.Output;

namespace Portal.Cli.Commands;

/// <summary><c>portal keys create|list|revoke</c>: inference keys for the OpenAI-compatible gateway.</summary>
internal static class KeysCommands
{
    public static Command Create(Globals globals)
    {
        var keys = new Command("keys", """
            Inference keys that programs send to the gateway.

            Examples:
              portal keys create checkout-service
              portal keys list
            """);

        var name = new Argument<string>("NAME") { Description = "What the key is for, e.g. 'checkout-service'." };
        var scopes = new Option<string[]>("--scope") { Description = "A scope the key may use (repeat for several; default: the portal's default).", AllowMultipleArgumentsPerToken = true };
        var rpm = new Option<int?>("--requests-per-minute") { Description = "Rate limit for this key.", HelpName = "N" };
        var concurrent = new Option<int?>("--max-concurrent") { Description = "Concurrent requests allowed for this key.", HelpName = "N" };
        var expires = new Option<int?>("--expires-in-days") { Description = "The key stops working after this many days.", HelpName = "DAYS" };
        var create = new Command("create", """
            Create an inference key. The key is printed once and never again: store it now.

            Examples:
              portal keys create checkout-service --requests-per-minute 600
              KEY=$(portal keys create ci-smoke --expires-in-days 1 --output json | jq -r .secret)
            """) { name, scopes, rpm, concurrent, expires };
        globals.SetAction(create, async run =>
        {
            var requested = run.Value(scopes);
            var body = await run.Portal.PostAsync("keys", new
            {
                name = run.Value(name),
                scopes = requested is { Length: > 0 } ? requested : null,
                requestsPerMinute = run.Value(rpm),
                maxConcurrentRequests = run.Value(concurrent),
                expiresInDays = run.Value(expires),
            }, run.CancellationToken);
            return run.Print(body, k =>
            {
                run.Out.WriteLine(k.Text("secret"));
                run.Error.WriteLine($"Key {k.Child("key").Text("name")} ({k.Child("key").Text("id")}) created. This is the only time it is shown.");
            });
        });
        keys.Subcommands.Add(create);

        var list = new Command("list", """
            Inference keys: prefix, name, scopes, created, last used, revoked; never the key itself.

            Example:
              portal keys list
            """);
        globals.SetAction(list, async run => run.Print(await run.Portal.GetAsync("keys", run.CancellationToken), body =>
            Table.Write(run.Out, ["NAME", "PREFIX", "SCOPES", "CREATED", "LAST USED", "STATE", "ID"],
                body.Items().Select(k => new[]
                {
                    k.Text("name"), k.Text("prefix"), string.Join(",", k.Child("scopes").Items().Select(s => s.GetString())), k.Text("createdAt"),
                    k.Text("lastUsedAt"), k.Text("revokedAt") is { } revoked ? "revoked " + revoked : k.Text("expiresAt") is { } at ? "expires " + at : "active",
                    k.Text("id"),
                }),
                "No inference keys yet. Create one with: portal keys create NAME")));
        keys.Subcommands.Add(list);

        var id = new Argument<Guid>("KEY-ID") { Description = "The key's id (portal keys list)." };
        var revoke = new Command("revoke", """
            Revoke a key at once: requests with it are refused from now on.

            Example:
              portal keys revoke 9b0c…
            """) { id };
        globals.SetAction(revoke, async run =>
        {
            var body = await run.Portal.PostAsync($"keys/{run.Value(id)}/revoke", null, run.CancellationToken);
            return run.Print(body, k => run.Out.WriteLine($"Key {k.Text("name")} ({k.Text("prefix")}…) revoked at {k.Text("revokedAt")}."));
        });
        keys.Subcommands.Add(revoke);
        return keys;
    }
}
