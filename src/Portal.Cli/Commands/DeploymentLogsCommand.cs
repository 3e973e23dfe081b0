using System.CommandLine;
using Portal.Cli.Connection;

namespace Portal.Cli.Commands;

/// <summary><c>portal deployments logs DEPLOYMENT [--replica R] [--since 10m] [--follow] [-o FILE]</c>.</summary>
internal static class DeploymentLogsCommand
{
    public static Command Create(Globals globals, Argument<string> target)
    {
        var replica = new Option<string?>("--replica", "-r")
        {
            Description = "The replica (its id from portal deployments show); needed when the deployment has several.", HelpName = "REPLICA",
        };
        var since = new Option<string?>("--since") { Description = "From this time (RFC 3339) or this long ago: 30s, 10m, 2h, 1d.", HelpName = "WHEN" };
        var until = new Option<string?>("--until") { Description = "Up to this time (RFC 3339) or this long ago.", HelpName = "WHEN" };
        var grep = new Option<string?>("--grep") { Description = "Only lines containing this text (case-insensitive).", HelpName = "TEXT" };
        var limit = new Option<int?>("--limit") { Description = "At most this many lines, the newest (default 1000, at most 10000).", HelpName = "N" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines as the engine writes them, until Ctrl+C." };
        var file = new Option<FileInfo?>("-o", "--out") { Description = "Write to this file (a download, recorded in the audit log).", HelpName = "FILE" };
        var logs = new Command("logs", """
            A replica's engine output (stdout and stderr), secrets redacted. TenantAdmin and Developer of the tenant.

            Examples:
              portal deployments logs chat --since 10m
              portal deployments logs chat --replica 8c1f… --follow
              portal deployments logs chat --since 2026-12-07T09:00:00Z --until 2026-12-07T10:00:00Z -o chat.log
            """) { target, replica, since, until, grep, limit, follow, file };
        globals.SetAction(logs, async run =>
        {
            var id = await DeploymentsCommands.ResolveAsync(run, run.Value(target));
            var replicaId = run.Value(replica) ?? await OnlyReplicaAsync(run, id);
            var query = new (string Name, string? Value)[]
            {
                ("since", run.Value(since)), ("until", run.Value(until)), ("q", run.Value(grep)),
                ("limit", run.Value(limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("follow", run.Value(follow) ? "true" : null), ("format", run.Format == OutputFormat.Json ? "json" : null),
                ("download", run.Value(file) is null ? null : "true"),
            };
            var path = $"deployments/{id}/replicas/{Uri.EscapeDataString(replicaId)}/logs";
            if (run.Value(file) is { } output)
            {
                var temporary = output.FullName + ".part";
                await using (var stream = File.Create(temporary))
                {
                    await run.Portal.DownloadAsync(path, stream, run.CancellationToken, query);
                }

                File.Move(temporary, output.FullName, overwrite: true);
                await run.Error.WriteLineAsync($"Wrote {output.FullName} ({new FileInfo(output.FullName).Length:N0} bytes).");
                return ExitCodes.Success;
            }

            try
            {
                await foreach (var line in run.Portal.ReadLinesAsync(path, run.CancellationToken, query))
                {
                    await run.Out.WriteLineAsync(line);
                    await run.Out.FlushAsync(run.CancellationToken);
                }
            }
            catch (OperationCanceledException) when (run.CancellationToken.IsCancellationRequested)
            {
                // Ctrl+C ends a follow.
            }

            return ExitCodes.Success;
        });
        return logs;
    }

    private static async Task<string> OnlyReplicaAsync(Invocation run, Guid deployment)
    {
        var detail = await run.Portal.GetAsync($"deployments/{deployment}", run.CancellationToken);
        var replicas = detail.Child("replicas").Items().Select(r => r.Text("id")!).ToList();
        return replicas.Count switch
        {
            1 => replicas[0],
            0 => throw new CliUsageException("The deployment has no replicas running; name a stopped one's id with --replica."),
            _ => throw new CliUsageException($"The deployment has {replicas.Count} replicas: pick one with --replica ({string.Join(", ", replicas)})."),
        };
    }
}
