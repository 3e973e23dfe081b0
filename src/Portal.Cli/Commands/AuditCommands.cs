using System.CommandLine;

namespace Portal.Cli.Commands;

/// <summary><c>portal audit …</c>: work with the tamper-evident audit trail.</summary>
internal static class AuditCommands
{
    public static Command Create()
    {
        var audit = new Command("audit", "Work with the tamper-evident audit trail.");
        audit.Subcommands.Add(CreateVerify());
        return audit;
    }

    private static Command CreateVerify()
    {
        var file = new Argument<FileInfo>("FILE")
        {
            Description = "An audit export in JSON Lines form (.jsonl), as downloaded from the portal's Audit page.",
        };
        file.AcceptExistingOnly();

        var publicKey = new Option<FileInfo>("--public-key")
        {
            Description = "The portal's audit public key (PEM), as downloaded from the Audit page.",
            HelpName = "PEMFILE",
            Required = true,
        };
        publicKey.AcceptExistingOnly();

        var verify = new Command(
            "verify",
            """
            Verify an audit export offline: every record's hash, the links between consecutive records and the
            signed checkpoints. Exits 0 when intact, 1 naming the first bad record, 2 on a usage error.

            Example:
              portal audit verify audit-export.jsonl --public-key audit-public-key.pem
            """)
        {
            file,
            publicKey,
        };
        verify.SetAction((parseResult, cancellationToken) => AuditVerifyCommand.RunAsync(
            parseResult.GetRequiredValue(file),
            parseResult.GetRequiredValue(publicKey),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return verify;
    }
}
