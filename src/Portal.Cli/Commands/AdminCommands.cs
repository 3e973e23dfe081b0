using System.CommandLine;
using System.Text.Json;
using Portal.Cli.Connection;
using Portal.Cli.Output;

namespace Portal.Cli.Commands;

/// <summary>
/// <c>portal admin tenants create|list|rename|suspend|resume|delete|export|invite</c> and
/// <c>portal admin accounts end-sessions</c>: the platform operator's commands.
/// </summary>
internal static class AdminCommands
{
    private const string Path = "platform/tenants";

    public static Command Create(Globals globals)
    {
        var admin = new Command("admin", """
            Run the platform (platform operators only; log in as one with: portal login --portal URL).

            Examples:
              portal admin tenants create --name "Acme Research" --slug acme
              portal admin tenants list
            """);
        admin.Subcommands.Add(Tenants(globals));
        admin.Subcommands.Add(Accounts(globals));
        return admin;
    }

    private static Command Accounts(Globals globals)
    {
        var accounts = new Command("accounts", """
            People's accounts across every tenant.

            Example:
              portal admin accounts end-sessions --email ada@example.com --reason "Ticket #88: laptop stolen"
            """);
        var email = new Option<string>("--email") { Description = "The person's sign-in address.", Required = true, HelpName = "EMAIL" };
        var reason = new Option<string>("--reason") { Description = "Why, for the audit trail.", Required = true, HelpName = "TEXT" };
        var end = new Command("end-sessions", """
            End every session of a person in every tenant: signed-in browsers, open pages and tokens. They sign in again
            with their password; nothing else of the account changes.

            Example:
              portal admin accounts end-sessions --email ada@example.com --reason "Ticket #88: laptop stolen"
            """) { email, reason };
        globals.SetAction(end, async run => run.Print(
            await run.Portal.PostAsync("platform/accounts/end-sessions", new { email = run.Value(email), reason = run.Value(reason) }, run.CancellationToken),
            a => run.Out.WriteLine($"Every session of {a.Text("email")} has ended.")));
        accounts.Subcommands.Add(end);
        return accounts;
    }

    private static Command Tenants(Globals globals)
    {
        var tenants = new Command("tenants", """
            The platform's tenants: create, list, rename, suspend, resume, export and delete them, and invite their first admin. TENANT is a tenant's id or slug.

            Examples:
              portal admin tenants suspend acme --reason "Ticket #1234: unpaid invoice"
              portal admin tenants delete acme --yes
            """);

        var name = new Option<string>("--name") { Description = "The tenant's name, e.g. the customer's organisation.", Required = true, HelpName = "NAME" };
        var slug = new Option<string>("--slug") { Description = "A short lower-case id (letters, digits, hyphens); it never changes.", Required = true, HelpName = "SLUG" };
        var create = new Command("create", """
            Create a tenant.

            Example:
              portal admin tenants create --name "Acme Research" --slug acme-research
            """) { name, slug };
        globals.SetAction(create, async run => run.Print(
            await run.Portal.PostAsync(Path, new { name = run.Value(name), slug = run.Value(slug) }, run.CancellationToken),
            t => run.Out.WriteLine($"Tenant {t.Text("name")} ({t.Text("slug")}) created: {t.Text("id")}")));
        tenants.Subcommands.Add(create);

        var deleted = new Option<bool>("--include-deleted") { Description = "Also list deleted tenants." };
        var list = new Command("list", """
            Every tenant: name, slug, state, members, allowed regions.

            Example:
              portal admin tenants list --output json
            """) { deleted };
        globals.SetAction(list, async run => run.Print(
            await run.Portal.GetAsync(Path, run.CancellationToken, ("includeDeleted", run.Value(deleted) ? "true" : null)),
            body => Table.Write(run.Out, ["NAME", "SLUG", "STATE", "MEMBERS", "REGIONS", "ID"],
                body.Items().Select(t => new[]
                {
                    t.Text("name"), t.Text("slug"), t.Text("state"), t.Text("members"),
                    t.Child("allowedRegions").ValueKind == JsonValueKind.Array ? string.Join(",", t.Child("allowedRegions").Items().Select(r => r.GetString())) : "all",
                    t.Text("id"),
                }),
                "No tenants yet. Create one with: portal admin tenants create --name NAME --slug SLUG")));
        tenants.Subcommands.Add(list);

        var tenant = new Argument<string>("TENANT") { Description = "The tenant's id or slug." };
        var newName = new Argument<string>("NAME") { Description = "The new name." };
        var rename = new Command("rename", """
            Rename a tenant; its slug stays.

            Example:
              portal admin tenants rename acme "Acme Research GmbH"
            """) { tenant, newName };
        globals.SetAction(rename, async run =>
        {
            var id = await ResolveAsync(run, run.Value(tenant));
            return run.Print(await run.Portal.PatchAsync($"{Path}/{id}", new { name = run.Value(newName) }, run.CancellationToken),
                t => run.Out.WriteLine($"Tenant {t.Text("slug")} renamed to {t.Text("name")}."));
        });
        tenants.Subcommands.Add(rename);

        var reason = new Option<string?>("--reason") { Description = "Why, for the audit trail.", HelpName = "TEXT", Recursive = false };
        tenants.Subcommands.Add(StateCommand(globals, "suspend", """
            Suspend a tenant: its members' pages and API calls and its inference keys are refused until it is resumed. Its replicas keep running.

            Example:
              portal admin tenants suspend acme --reason "Ticket #1234"
            """, tenant, reason, "suspended"));
        tenants.Subcommands.Add(StateCommand(globals, "resume", """
            Lift a tenant's suspension.

            Example:
              portal admin tenants resume acme
            """, tenant, reason, "resumed"));

        var yes = new Option<bool>("--yes") { Description = "Confirm the deletion; it cannot be undone." };
        var delete = new Command("delete", """
            Delete a suspended tenant: its deployments are deleted (replicas stop), its endpoints removed, its keys revoked and its
            secrets destroyed. Its audit trail stays.

            Example:
              portal admin tenants delete acme --reason "Contract ended" --yes
            """) { tenant, reason, yes };
        globals.SetAction(delete, async run =>
        {
            if (!run.Value(yes))
            {
                throw new CliUsageException("Deleting a tenant cannot be undone: add --yes to confirm.");
            }

            var id = await ResolveAsync(run, run.Value(tenant));
            return run.Print(await run.Portal.DeleteAsync($"{Path}/{id}", run.CancellationToken, ("reason", run.Value(reason))),
                d => run.Out.WriteLine($"Tenant {d.Child("tenant").Text("slug")} deleted: {d.Text("deploymentsDeleted")} deployment(s) deleted, "
                    + $"{d.Text("endpointsRemoved")} endpoint(s) removed, {d.Text("keysRevoked")} key(s) revoked."));
        });
        tenants.Subcommands.Add(delete);
        tenants.Subcommands.Add(TenantExportCommand.Create(globals, tenant));
        tenants.Subcommands.Add(Invite(globals, tenant));
        return tenants;
    }

    private static Command Invite(Globals globals, Argument<string> tenant)
    {
        var email = new Option<string>("--email") { Description = "The address of the person who will run the tenant.", Required = true, HelpName = "EMAIL" };
        var invite = new Command("invite", """
            Invite a tenant's first TenantAdmin: the person gets an email with a single-use link, valid for 7 days.

            Example:
              portal admin tenants invite acme --email it-lead@acme.example
            """) { tenant, email };
        globals.SetAction(invite, async run =>
        {
            var id = await ResolveAsync(run, run.Value(tenant));
            return run.Print(await run.Portal.PostAsync($"{Path}/{id}/invitations", new { email = run.Value(email) }, run.CancellationToken),
                i => run.Out.WriteLine($"Invited {i.Text("email")} as {i.Text("role")}; the link expires {i.Text("expiresAt")}."));
        });
        return invite;
    }

    private static Command StateCommand(Globals globals, string verb, string help, Argument<string> tenant, Option<string?> reason, string done)
    {
        var command = new Command(verb, help) { tenant, reason };
        globals.SetAction(command, async run =>
        {
            var id = await ResolveAsync(run, run.Value(tenant));
            return run.Print(await run.Portal.PostAsync($"{Path}/{id}/{verb}", new { reason = run.Value(reason) }, run.CancellationToken),
                t => run.Out.WriteLine($"Tenant {t.Text("name")} ({t.Text("slug")}) {done}."));
        });
        return command;
    }

    /// <summary>A tenant's id, given its id or its slug.</summary>
    internal static async Task<Guid> ResolveAsync(Invocation run, string tenant)
    {
        if (Guid.TryParse(tenant, out var id))
        {
            return id;
        }

        var all = await run.Portal.GetAsync(Path, run.CancellationToken, ("includeDeleted", "true"));
        return all.Items().FirstOrDefault(t => t.Text("slug") == tenant) is { ValueKind: JsonValueKind.Object } found
            ? Guid.Parse(found.Text("id")!)
            : throw new CliUsageException($"No tenant with the slug '{tenant}': see portal admin tenants list.");
    }
}
