using Portal.Simulator.Api;

namespace Portal.Simulator.Engine;

/// <summary>
/// The completions this engine was asked for, in arrival order: when each arrived (UTC), its kind, prompt tokens,
/// <c>max_tokens</c>, streaming flag, whether it met a cold start and how long it waited for a running slot (real
/// milliseconds). Token counts and times only, never text. A replay compares these with the requests it meant to send.
/// Bounded: the newest <see cref="Capacity"/> arrivals are kept.
/// </summary>
internal sealed class ArrivalJournal
{
    public const int Capacity = 100_000;

    private readonly Queue<Arrival> _arrivals = new();
    private readonly Lock _lock = new();

    public Arrival Add(DateTimeOffset at, CompletionKind kind, int promptTokens, int maxTokens, bool stream)
    {
        var arrival = new Arrival(at, kind == CompletionKind.Chat ? "chat" : "completion", promptTokens, maxTokens, stream);
        lock (_lock)
        {
            if (_arrivals.Count == Capacity)
            {
                _arrivals.Dequeue();
            }

            _arrivals.Enqueue(arrival);
        }

        return arrival;
    }

    public IReadOnlyList<Arrival> Snapshot()
    {
        lock (_lock)
        {
            return [.. _arrivals];
        }
    }

    internal sealed class Arrival(DateTimeOffset at, string kind, int promptTokens, int maxTokens, bool stream)
    {
        public DateTimeOffset At { get; } = at;

        public string Kind { get; } = kind;

        public int PromptTokens { get; } = promptTokens;

        public int MaxTokens { get; } = maxTokens;

        public bool Stream { get; } = stream;

        public bool ColdStart { get; set; }

        /// <summary>Real milliseconds spent waiting for a running slot; null until it got one (or was refused with 429).</summary>
        public double? QueueMs { get; set; }

        public bool Refused { get; set; }

        /// <summary>
        /// Real milliseconds from arrival until the first token was due: the cold-start and queue waits as they happened,
        /// and the prefill the model planned. The host's own time (reading the request, how late its timer woke) is left
        /// out; null when no token was due.
        /// </summary>
        public double? FirstTokenDueMs { get; set; }
    }
}
