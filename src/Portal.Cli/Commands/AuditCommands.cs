using System.CommandLine;
using Portal.Cli.Connection;

namespace Portal.Cli.Commands;

/// <summary><c>portal audit …</c>: work with the tamper-evident audit trail.</summary>
internal static class AuditCommands
{
    public static Command Create(Globals globals)
    {
        var audit = new Command("audit", """
            Work with the tamper-evident audit trail.

            Examples:
              portal audit export --format jsonl -o audit.jsonl
              portal audit verify audit.jsonl --keys audit-keys.json
            """);
        audit.Subcommands.Add(CreateExport(globals));
        audit.Subcommands.Add(CreatePublicKey(globals));
        audit.Subcommands.Add(CreateKeys(globals));
        audit.Subcommands.Add(CreateEvidence(globals));
        audit.Subcommands.Add(CreateVerifyPackage());
        audit.Subcommands.Add(CreateVerify());
        return audit;
    }

    private static Command CreateExport(Globals globals)
    {
        var from = new Option<DateTimeOffset?>("--from") { Description = "First moment to include (ISO 8601, e.g. 2026-11-01T00:00:00Z).", HelpName = "TIME" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Last moment to include.", HelpName = "TIME" };
        var format = new Option<string>("--format")
        {
            Description = "jsonl (with hashes and signed checkpoints, verifiable) or csv (for spreadsheets).",
            DefaultValueFactory = _ => "jsonl",
        };
        format.AcceptOnlyFromAmong("jsonl", "csv");
        var file = new Option<FileInfo>("-o", "--out") { Description = "The file to write.", Required = true, HelpName = "FILE" };
        var export = new Command("export", """
            Download the tenant's audit records, oldest first (needs TenantAdmin or Auditor). The export itself is audited.

            Examples:
              portal audit export --from 2026-11-01T00:00:00Z --to 2026-12-01T00:00:00Z --format jsonl -o audit.jsonl
              portal audit export --format csv -o audit.csv
            """) { from, to, format, file };
        globals.SetAction(export, async run =>
        {
            var tenant = run.ParseResult.GetValue(globals.Tenant)?.ToString()
                ?? (await run.Portal.GetAsync("me", run.CancellationToken)).Child("tenants").Items().Select(t => t.Text("id")).FirstOrDefault()
                ?? throw new CliUsageException("You belong to no tenant: pass --tenant TENANT-ID.");
            var target = run.Value(file);
            var temporary = target.FullName + ".part";
            await using (var stream = File.Create(temporary))
            {
                await run.Portal.DownloadAsync("audit/export", stream, run.CancellationToken,
                    ("tenantId", tenant), ("format", run.Value(format)),
                    ("from", run.Value(from)?.ToString("O")), ("to", run.Value(to)?.ToString("O")));
            }

            File.Move(temporary, target.FullName, overwrite: true);
            await run.Error.WriteLineAsync($"Wrote {target.FullName} ({new FileInfo(target.FullName).Length:N0} bytes).");
            return ExitCodes.Success;
        });
        return export;
    }

    private static Command CreatePublicKey(Globals globals)
    {
        var file = new Option<FileInfo>("-o", "--out") { Description = "The file to write the PEM to.", Required = true, HelpName = "FILE" };
        var publicKey = new Command("public-key", """
            Download the portal's audit public key (PEM), which verifies the signed checkpoints of an export.

            Example:
              portal audit public-key -o audit-public-key.pem
            """) { file };
        globals.SetAction(publicKey, async run =>
        {
            await File.WriteAllTextAsync(run.Value(file).FullName, await run.Portal.PublicTextAsync("api/v1/audit/public-key", run.CancellationToken),
                run.CancellationToken);
            return ExitCodes.Success;
        });
        return publicKey;
    }

    private static Command CreateKeys(Globals globals)
    {
        var file = new Option<FileInfo>("-o", "--out") { Description = "The file to write the key document to.", Required = true, HelpName = "FILE" };
        var keys = new Command("keys", """
            Download every public key the portal's audit trail was ever signed with (a JWKS-like JSON document with
            each key's validity period): what verifies exports made before a key rotation as well as after it.

            Example:
              portal audit keys -o audit-keys.json
            """) { file };
        globals.SetAction(keys, async run =>
        {
            await File.WriteAllTextAsync(run.Value(file).FullName, await run.Portal.PublicTextAsync("api/v1/audit/keys", run.CancellationToken),
                run.CancellationToken);
            return ExitCodes.Success;
        });
        return keys;
    }

    private static Command CreateEvidence(Globals globals)
    {
        var from = new Option<DateTimeOffset>("--from") { Description = "Start of the period (ISO 8601, e.g. 2026-11-01T00:00:00Z).", HelpName = "TIME", Required = true };
        var to = new Option<DateTimeOffset>("--to") { Description = "End of the period (exclusive).", HelpName = "TIME", Required = true };
        var file = new Option<FileInfo>("-o", "--out") { Description = "The zip to write.", Required = true, HelpName = "FILE" };
        var evidence = new Command("evidence", """
            Download the evidence package of the tenant for a period (needs TenantAdmin or Auditor): the audit export with
            its signed manifest, the public keys, the verification result, residency and SLA reports, an access review,
            and a signed index of every file's SHA-256. The download itself is audited.

            Example:
              portal audit evidence --from 2026-11-01T00:00:00Z --to 2026-12-01T00:00:00Z -o evidence.zip
              portal audit verify-package evidence.zip --keys audit-keys.json
            """) { from, to, file };
        globals.SetAction(evidence, async run =>
        {
            var tenant = run.ParseResult.GetValue(globals.Tenant)?.ToString()
                ?? (await run.Portal.GetAsync("me", run.CancellationToken)).Child("tenants").Items().Select(t => t.Text("id")).FirstOrDefault()
                ?? throw new CliUsageException("You belong to no tenant: pass --tenant TENANT-ID.");
            var target = run.Value(file);
            var temporary = target.FullName + ".part";
            await using (var stream = File.Create(temporary))
            {
                await run.Portal.DownloadAsync("audit/evidence", stream, run.CancellationToken,
                    ("tenantId", tenant), ("from", run.Value(from).ToUniversalTime().ToString("O")), ("to", run.Value(to).ToUniversalTime().ToString("O")));
            }

            File.Move(temporary, target.FullName, overwrite: true);
            await run.Error.WriteLineAsync($"Wrote {target.FullName} ({new FileInfo(target.FullName).Length:N0} bytes).");
            return ExitCodes.Success;
        });
        return evidence;
    }

    private static Command CreateVerifyPackage()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "An evidence package (.zip) from portal audit evidence or the Audit page." };
        file.AcceptExistingOnly();
        var keys = KeysOption();
        var verify = new Command("verify-package", """
            Verify an evidence package offline: the signed index, every file against its SHA-256 (none missing, none
            added), and the audit export inside with its signed manifest. Exits 0 when intact, 1 naming what is wrong,
            2 on a usage error.

            Example:
              portal audit verify-package evidence.zip --keys audit-keys.json
            """) { file, keys.Keys, keys.PublicKey };
        keys.Validate(verify);
        verify.SetAction((parseResult, cancellationToken) => AuditVerifyCommand.RunPackageAsync(
            parseResult.GetRequiredValue(file),
            keys.Chosen(parseResult),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return verify;
    }

    /// <summary>--keys (a key document) or --public-key (one PEM): exactly one.</summary>
    internal sealed record KeyOptions(Option<FileInfo> Keys, Option<FileInfo> PublicKey)
    {
        public void Validate(Command command) => command.Validators.Add(result =>
        {
            var given = (result.GetResult(Keys) is not null ? 1 : 0) + (result.GetResult(PublicKey) is not null ? 1 : 0);
            if (given != 1)
            {
                result.AddError("Give the audit public keys: --keys KEYS.json (from portal audit keys) or --public-key PEMFILE.");
            }
        });

        public FileInfo Chosen(ParseResult parseResult) => parseResult.GetValue(Keys) ?? parseResult.GetRequiredValue(PublicKey);
    }

    internal static KeyOptions KeysOption()
    {
        var keys = new Option<FileInfo>("--keys")
        {
            Description = "Every audit public key, as downloaded with portal audit keys (or GET /api/v1/audit/keys).",
            HelpName = "KEYSFILE",
        };
        keys.AcceptExistingOnly();
        var publicKey = new Option<FileInfo>("--public-key")
        {
            Description = "One audit public key (PEM), as downloaded with portal audit public-key.",
            HelpName = "PEMFILE",
        };
        publicKey.AcceptExistingOnly();
        return new KeyOptions(keys, publicKey);
    }

    private static Command CreateVerify()
    {
        var file = new Argument<FileInfo>("FILE")
        {
            Description = "An audit export in JSON Lines form (.jsonl), as downloaded from the portal's Audit page or portal audit export.",
        };
        file.AcceptExistingOnly();

        var keys = KeysOption();
        var allowUnsigned = new Option<bool>("--allow-unsigned")
        {
            Description = "Accept an export made before exports carried a signed manifest (format v1); its completeness cannot be proven.",
        };

        var verify = new Command(
            "verify",
            """
            Verify an audit export offline: its signed manifest (present, unedited, signed by a known key), every
            record's hash and chain, the links from the chain's start to the manifest's last record, and the signed
            checkpoints. A filtered export is reported as such: each record is genuine, completeness cannot be claimed.
            Exits 0 when intact, 1 naming the first bad record or what is wrong, 2 on a usage error.

            Examples:
              portal audit keys -o audit-keys.json
              portal audit verify audit-export.jsonl --keys audit-keys.json
              portal audit verify audit-export.jsonl --public-key audit-public-key.pem
            """)
        {
            file,
            keys.Keys,
            keys.PublicKey,
            allowUnsigned,
        };
        keys.Validate(verify);
        verify.SetAction((parseResult, cancellationToken) => AuditVerifyCommand.RunAsync(
            parseResult.GetRequiredValue(file),
            keys.Chosen(parseResult),
            parseResult.GetValue(allowUnsigned),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return verify;
    }
}
