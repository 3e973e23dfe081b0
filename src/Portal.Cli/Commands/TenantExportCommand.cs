using System.CommandLine;
using Portal.Cli.Connection;

namespace Portal.Cli.Commands;

/// <summary><c>portal admin tenants export TENANT --out FILE</c>: the first step of offboarding.</summary>
internal static class TenantExportCommand
{
    public static Command Create(Globals globals, Argument<string> tenant)
    {
        var file = new Option<FileInfo>("-o", "--out") { Description = "The zip file to write.", Required = true, HelpName = "FILE" };
        var export = new Command("export", """
            Download a tenant's records before offboarding it: a zip of audit.jsonl (verifiable with portal audit verify),
            configuration.json, samples.jsonl (measurements only, no request content) and manifest.json. Works for suspended
            and deleted tenants; the export is audited.

            Example:
              portal admin tenants export acme --out acme.zip
            """) { tenant, file };
        globals.SetAction(export, async run =>
        {
            var id = await AdminCommands.ResolveAsync(run, run.Value(tenant));
            var target = run.Value(file);
            var temporary = target.FullName + ".part";
            await using (var stream = File.Create(temporary))
            {
                await run.Portal.DownloadAsync($"platform/tenants/{id}/export", stream, run.CancellationToken);
            }

            File.Move(temporary, target.FullName, overwrite: true);
            await run.Error.WriteLineAsync($"Wrote {target.FullName} ({new FileInfo(target.FullName).Length:N0} bytes).");
            return ExitCodes.Success;
        });
        return export;
    }
}
