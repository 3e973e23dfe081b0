using System.Collections.Immutable;
using Hangfire.AspNetCore;
using Hangfire.Logging;
using LogLevel = Hangfire.Logging.LogLevel;

namespace Portal.Hosting;

/// <summary>
/// Hangfire logs through one process-wide provider (its <see cref="LogProvider"/> is static), and its default for
/// ASP.NET Core is the logger factory of whichever host configured it last. That factory dies with its host: where
/// several portals share a process (the tests, a gateway beside a portal), the others would then fail to log — and so
/// fail to enqueue a job — with an <see cref="ObjectDisposedException"/>. This provider stays installed for the whole
/// process and writes to a portal that is still alive; a portal attaches its factory while it runs and detaches it
/// before the factory is disposed. With one portal per process, as in production, it is Hangfire's usual logging.
/// </summary>
public sealed class HangfireLogging : ILogProvider
{
    private static readonly HangfireLogging Shared = new();
    private ImmutableList<AspNetCoreLogProvider> _live = [];

    private HangfireLogging()
    {
    }

    public ILog GetLogger(string name) => new Logger(this, name);

    private AspNetCoreLogProvider? Current
    {
        get
        {
            var live = Volatile.Read(ref _live);
            return live.IsEmpty ? null : live[^1];
        }
    }

    private sealed class Logger(HangfireLogging owner, string name) : ILog
    {
        public bool Log(LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            if (owner.Current is not { } provider)
            {
                return false;
            }

            try
            {
                return provider.GetLogger(name).Log(logLevel, messageFunc, exception);
            }
            catch (ObjectDisposedException)
            {
                // That portal stopped between the look-up and the write; its messages have nowhere to go.
                return false;
            }
        }
    }

    /// <summary>
    /// A portal's singleton: Hangfire's messages go to this portal's loggers from its construction until the portal's
    /// services are disposed (before the logger factory it was built from).
    /// </summary>
    public sealed class Attachment : IDisposable
    {
        private readonly AspNetCoreLogProvider _provider;

        public Attachment(ILoggerFactory loggerFactory)
        {
            _provider = new AspNetCoreLogProvider(loggerFactory);
            ImmutableInterlocked.Update(ref Shared._live, live => live.Add(_provider));
        }

        public ILogProvider Provider => Shared;

        public void Dispose() => ImmutableInterlocked.Update(ref Shared._live, live => live.Remove(_provider));
    }
}
