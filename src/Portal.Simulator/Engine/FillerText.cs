using System.Text;

namespace Portal.Simulator.Engine;

/// <summary>
/// Generated text: short common words, each one token, chosen deterministically from the seed, the prompt and the
/// position. Words are kept pre-encoded as UTF-8 so streaming them allocates nothing.
/// </summary>
internal static class FillerText
{
    private static readonly string[] _words =
    [
        "the", "model", "serves", "tokens", "from", "a", "dedicated", "endpoint", "with", "steady", "latency",
        "and", "every", "request", "is", "answered", "in", "order", "while", "weights", "stay", "resident",
        "on", "the", "gpu", "so", "no", "cold", "start", "delays", "first", "token", "time", "throughput",
        "grows", "as", "batches", "fill", "cache", "blocks", "are", "reused", "for", "prefix", "hits", "decode",
        "runs", "fast", "output", "flows", "to", "client", "over", "stream", "this", "text", "means", "nothing",
    ];

    // Index 0: the word alone (first token); index 1: the word with a leading space.
    private static readonly byte[][][] _utf8 = _words
        .Select(w => new[] { Encoding.UTF8.GetBytes(w), Encoding.UTF8.GetBytes(" " + w) })
        .ToArray();

    public static ulong TextSeed(int seed, int promptHash) =>
        DeterministicRandom.Mix(((ulong)(uint)seed << 32) | (uint)promptHash);

    public static ReadOnlySpan<byte> Utf8Token(ulong textSeed, int position)
    {
        var index = (int)(DeterministicRandom.Mix(textSeed + (ulong)position) % (ulong)_words.Length);
        return _utf8[index][position == 0 ? 0 : 1];
    }

    public static string Text(ulong textSeed, int tokens)
    {
        var builder = new StringBuilder(tokens * 7);
        for (var i = 0; i < tokens; i++)
        {
            var index = (int)(DeterministicRandom.Mix(textSeed + (ulong)i) % (ulong)_words.Length);
            if (i > 0)
            {
                builder.Append(' ');
            }

            builder.Append(_words[index]);
        }

        return builder.ToString();
    }
}
