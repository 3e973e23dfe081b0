using System.Text;
using Portal.Core.Audit;

namespace Portal.Cli.Commands;

/// <summary><c>portal audit verify FILE (--keys KEYS.json | --public-key PEMFILE) [--allow-unsigned]</c>.</summary>
internal static class AuditVerifyCommand
{
    public static async Task<int> RunAsync(FileInfo file, FileInfo keysFile, bool allowUnsigned, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        if (await ReadKeysAsync(keysFile, error, cancellationToken) is not { } keys)
        {
            return ExitCodes.Usage;
        }

        using (keys)
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
                AuditExportVerification result;
                try
                {
                    result = AuditExportVerifier.Verify(reader, keys);
                }
                catch (DecoderFallbackException)
                {
                    await error.WriteLineAsync($"FAILED: {file.Name} is not valid UTF-8 text; it was altered or is not an audit export.");
                    return ExitCodes.Failed;
                }

                return await ReportAsync(result, allowUnsigned, output, error);
            }
        }
    }

    /// <summary><c>portal audit verify-package FILE.zip (--keys KEYS.json | --public-key PEMFILE)</c>.</summary>
    public static async Task<int> RunPackageAsync(FileInfo file, FileInfo keysFile, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (await ReadKeysAsync(keysFile, error, cancellationToken) is not { } keys)
        {
            return ExitCodes.Usage;
        }

        using (keys)
        {
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            try
            {
                await using var zip = await System.IO.Compression.ZipFile.OpenReadAsync(file.FullName, cancellationToken);
                foreach (var entry in zip.Entries)
                {
                    await using var content = await entry.OpenAsync(cancellationToken);
                    using var buffer = new MemoryStream();
                    await content.CopyToAsync(buffer, cancellationToken);
                    files[entry.FullName] = buffer.ToArray();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                await error.WriteLineAsync($"FAILED: cannot read {file.Name} as a zip: {e.Message}");
                return ExitCodes.Failed;
            }

            var result = AuditEvidenceVerifier.Verify(files, keys);
            if (!result.IsValid)
            {
                await error.WriteLineAsync($"FAILED: {result.Message}.");
                return ExitCodes.Failed;
            }

            await output.WriteLineAsync($"OK: {result.Message}.");
            return ExitCodes.Success;
        }
    }

    /// <summary>A key document (as served by /api/v1/audit/keys) or a single PEM public key; null after telling why not.</summary>
    internal static async Task<AuditKeyRing?> ReadKeysAsync(FileInfo keysFile, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            return AuditKeyDocument.Read(await File.ReadAllTextAsync(keysFile.FullName, cancellationToken));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Cannot read {keysFile.Name}: {e.Message}");
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"{keysFile.Name} holds neither an audit key document nor an ECDSA P-256 public key in PEM form ({e.Message}).");
        }

        return null;
    }

    private static async Task<int> ReportAsync(AuditExportVerification result, bool allowUnsigned, TextWriter output, TextWriter error)
    {
        if (!result.IsValid)
        {
            var at = result.FirstBadSequence is { } bad ? $" at record #{bad}" : "";
            await error.WriteLineAsync($"FAILED{at} ({result.Problem}): {result.Message}.");
            return ExitCodes.Failed;
        }

        if (result.Coverage == AuditExportCoverage.Unsigned && !allowUnsigned)
        {
            await error.WriteLineAsync($"FAILED (ManifestMissing): {result.Message}. Pass --allow-unsigned to accept an export made before signed manifests.");
            return ExitCodes.Failed;
        }

        await output.WriteLineAsync($"OK: {result.Message}.");
        return ExitCodes.Success;
    }
}
