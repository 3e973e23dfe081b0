using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Core.Audit;

/// <summary>
/// The published list of every audit public key ever used, in the shape of a JSON Web Key Set (RFC 7517) with each
/// key's validity period and its PEM beside the JWK members, so that tools that know JWKS and tools that know PEM
/// both read it:
/// <c>{"keys":[{"kty":"EC","crv":"P-256","x":"…","y":"…","kid":"…","use":"sig","alg":"ES256","notBefore":"…Z"|null,"notAfter":"…Z"|null,"current":true,"pem":"-----BEGIN PUBLIC KEY-----…"}]}</c>.
/// </summary>
public static class AuditKeyDocument
{
    /// <summary>One key of the document.</summary>
    public sealed record Entry(string PublicKeyPem, DateTimeOffset? NotBefore, DateTimeOffset? NotAfter, bool Current);

    public static string Write(IEnumerable<Entry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var keys = new JsonArray();
        foreach (var entry in entries)
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(entry.PublicKeyPem);
            AuditKeys.EnsureP256(key, nameof(entries));
            var parameters = key.ExportParameters(includePrivateParameters: false);
            keys.Add(new JsonObject
            {
                ["kty"] = "EC",
                ["crv"] = "P-256",
                ["x"] = Base64Url(parameters.Q.X!),
                ["y"] = Base64Url(parameters.Q.Y!),
                ["kid"] = AuditKeys.KeyIdOf(key),
                ["use"] = "sig",
                ["alg"] = "ES256",
                ["notBefore"] = entry.NotBefore is { } from ? AuditTime.Format(from) : null,
                ["notAfter"] = entry.NotAfter is { } to ? AuditTime.Format(to) : null,
                ["current"] = entry.Current,
                ["pem"] = key.ExportSubjectPublicKeyInfoPem(),
            });
        }

        return new JsonObject { ["keys"] = keys }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Reads a key document (or a single PEM public key) into a ring.</summary>
    /// <exception cref="ArgumentException">The text is neither a key document nor a P-256 public key in PEM form, or a key's id does not match it.</exception>
    public static AuditKeyRing Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            return AuditKeyRing.Of(AuditCheckpointVerifier.FromPem(text));
        }

        var keys = new List<AuditPublicKey>();
        try
        {
            var root = JsonNode.Parse(text)?["keys"]?.AsArray() ?? throw new ArgumentException("The key document has no \"keys\" list.", nameof(text));
            foreach (var node in root)
            {
                var verifier = node?["pem"]?.GetValue<string>() is { } pem ? AuditCheckpointVerifier.FromPem(pem) : FromJwk(node);
                keys.Add(new AuditPublicKey(verifier, Time(node, "notBefore"), Time(node, "notAfter")));
                if (node?["kid"]?.GetValue<string>() is { } kid && kid != verifier.KeyId)
                {
                    throw new ArgumentException($"The key listed as {kid} is key {verifier.KeyId}.", nameof(text));
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or CryptographicException)
        {
            foreach (var key in keys)
            {
                key.Verifier.Dispose();
            }

            throw new ArgumentException($"Not an audit key document: {e.Message}", nameof(text), e);
        }
        catch
        {
            foreach (var key in keys)
            {
                key.Verifier.Dispose();
            }

            throw;
        }

        return new AuditKeyRing(keys);
    }

    private static AuditCheckpointVerifier FromJwk(JsonNode? node)
    {
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = FromBase64Url(node?["x"]?.GetValue<string>()), Y = FromBase64Url(node?["y"]?.GetValue<string>()) },
        });
        return AuditCheckpointVerifier.FromPem(key.ExportSubjectPublicKeyInfoPem());
    }

    private static DateTimeOffset? Time(JsonNode? node, string name) =>
        node?[name]?.GetValue<string>() is { } text
            ? AuditTime.TryParse(text, out var value) ? value : throw new FormatException($"\"{name}\" is not a UTC time.")
            : null;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string? text)
    {
        var value = (text ?? throw new FormatException("A JWK coordinate is missing.")).Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(value.PadRight(value.Length + ((4 - (value.Length % 4)) % 4), '='));
    }
}
