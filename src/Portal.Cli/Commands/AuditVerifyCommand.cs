using System.Text;
using Portal.Core.Audit;

namespace Portal.Cli.Commands;

/// <summary><c>portal audit verify FILE --public-key PEMFILE</c>.</summary>
internal static class AuditVerifyCommand
{
    public static async Task<int> RunAsync(FileInfo file, FileInfo publicKeyFile, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        AuditCheckpointVerifier verifier;
        try
        {
            verifier = AuditCheckpointVerifier.FromPem(await File.ReadAllTextAsync(publicKeyFile.FullName, cancellationToken));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Cannot read {publicKeyFile.Name}: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (ArgumentException)
        {
            await error.WriteLineAsync($"{publicKeyFile.Name} holds no ECDSA P-256 public key in PEM form.");
            return ExitCodes.Usage;
        }

        using (verifier)
        {
            StreamReader reader;
            try
            {
                reader = new StreamReader(file.FullName, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"Cannot read {file.Name}: {e.Message}");
                return ExitCodes.Usage;
            }

            using (reader)
            {
                try
                {
                    return await VerifyAsync(reader, verifier, output, error);
                }
                catch (AuditExportFormatException e)
                {
                    await error.WriteLineAsync($"FAILED: {e.Message}");
                    return ExitCodes.Failed;
                }
                catch (DecoderFallbackException)
                {
                    await error.WriteLineAsync($"FAILED: {file.Name} is not valid UTF-8 text; it was altered or is not an audit export.");
                    return ExitCodes.Failed;
                }
            }
        }
    }

    private static async Task<int> VerifyAsync(TextReader text, AuditCheckpointVerifier verifier, TextWriter output, TextWriter error)
    {
        var export = AuditExportReader.Open(text);
        if (export.Header.PublicKeyId is { } keyId && keyId != verifier.KeyId)
        {
            await error.WriteLineAsync($"FAILED: the export's checkpoints were signed with key {keyId}, but the public key given is {verifier.KeyId}.");
            return ExitCodes.Failed;
        }

        var result = AuditChainVerifier.Verify(export.ReadRecords(), export.Checkpoints, verifier, contiguous: export.Header.IsWholeChain);
        if (!result.IsValid)
        {
            await error.WriteLineAsync($"FAILED at record #{result.FirstBadSequence} ({result.Problem}): {result.Message}.");
            await error.WriteLineAsync($"Records up to #{result.VerifiedUpTo} are intact.");
            return ExitCodes.Failed;
        }

        if (export.DeclaredRecordCount is not { } declared)
        {
            await error.WriteLineAsync($"FAILED: the file ends early after record #{result.VerifiedUpTo}: its end line is missing.");
            return ExitCodes.Failed;
        }

        if (declared != export.RecordCount)
        {
            await error.WriteLineAsync($"FAILED: the end line counts {declared} records but the file holds {export.RecordCount}.");
            return ExitCodes.Failed;
        }

        await output.WriteLineAsync($"OK: {result.Message}");
        if (!export.Header.IsWholeChain)
        {
            await output.WriteLineAsync("This is a filtered export: each record was checked against its own hash, links where sequence numbers are consecutive, and checkpoints where their record is included.");
        }
        else if (result.AnchoredUpTo < result.VerifiedUpTo)
        {
            await output.WriteLineAsync($"Records after #{result.AnchoredUpTo} are linked but not yet covered by a signed checkpoint.");
        }

        return ExitCodes.Success;
    }
}
