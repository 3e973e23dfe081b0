using Microsoft.Extensions.Logging;

namespace Portal.Tests.Support;

/// <summary>What one portal logged, line by line, so a test can read what an operator reads in the log.</summary>
public sealed class PortalLog : ILoggerProvider
{
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiting = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return _lines.ToList();
            }
        }
    }

    /// <summary>The first line (logged before or after the call) that <paramref name="match"/> accepts.</summary>
    public Task<string> WaitForAsync(Func<string, bool> match, TimeSpan timeout)
    {
        lock (_lock)
        {
            if (_lines.FirstOrDefault(match) is { } line)
            {
                return Task.FromResult(line);
            }

            var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((match, found));
            return found.Task.WaitAsync(timeout);
        }
    }

    private void Add(string line)
    {
        lock (_lock)
        {
            _lines.Add(line);
            foreach (var waiter in _waiting.Where(w => w.Match(line)).ToList())
            {
                waiter.Found.TrySetResult(line);
                _waiting.Remove(waiter);
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(PortalLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log.Add($"{logLevel}: {category}: {formatter(state, exception)}");
            }
        }
    }
}
