using System.Security.Cryptography;
using Portal.Core.Keys;

namespace Portal.Core.Deployments;

/// <summary>
/// The secret one replica's engine demands on its OpenAI routes (<c>--api-key</c>), so only the platform — the gateway,
/// the probes, the scrapes, the reconciler — can call it. Random, 43 base62 characters (256 bits), never shown to a tenant.
/// </summary>
public static class ReplicaSecret
{
    public const string Prefix = "rs_";

    /// <summary>43 base62 characters carry 256 bits.</summary>
    public const int RandomLength = 43;

    /// <summary>The engine flag that takes the secret (vLLM, SGLang and the simulator share it).</summary>
    public const string Flag = "--api-key";

    /// <summary>What a command line shows in place of the secret.</summary>
    public const string Redacted = "<redacted>";

    public static string New()
    {
        var secret = new char[Prefix.Length + RandomLength];
        Prefix.CopyTo(secret);
        RandomNumberGenerator.GetItems(Base62.Alphabet.AsSpan(), secret.AsSpan(Prefix.Length));
        return new string(secret);
    }

    /// <summary>
    /// Whether the engine checks an API key itself. TensorRT-LLM's <c>trtllm-serve</c> has no such option: its replicas
    /// rely on the network boundary alone (docs/decisions/replica-secrets.md).
    /// </summary>
    public static bool EngineChecksKey(InferenceEngine engine) => engine is InferenceEngine.Vllm or InferenceEngine.Sglang;
}
