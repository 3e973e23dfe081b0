namespace Portal.Simulator.Engine;

/// <summary>
/// A deterministic stand-in for a BPE tokenizer: about one token per four characters of a word, one per punctuation
/// mark, whitespace free. Close enough to real counts for usage figures and context-length checks.
/// </summary>
internal static class TokenCounter
{
    /// <summary>Chat template overhead per message and for the assistant's reply, as in OpenAI's counting guide.</summary>
    public const int PerMessage = 4;
    public const int ReplyPriming = 3;

    public static int Count(ReadOnlySpan<char> text)
    {
        var tokens = 0;
        var wordLength = 0;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                wordLength++;
                continue;
            }

            tokens += (wordLength + 3) / 4;
            wordLength = 0;
            if (!char.IsWhiteSpace(c))
            {
                tokens++;
            }
        }

        return tokens + (wordLength + 3) / 4;
    }
}
