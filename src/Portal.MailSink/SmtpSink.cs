using System.Buffers;
using System.Net;
using System.Net.Sockets;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Portal.MailSink;

/// <summary>An SMTP server on loopback that accepts every message and keeps it as an .eml file in a folder.</summary>
public sealed class SmtpSink
{
    private SmtpSink(int port, Task completion)
    {
        Port = port;
        Completion = completion;
    }

    public int Port { get; }

    /// <summary>Ends when the server stops (its cancellation token fired).</summary>
    public Task Completion { get; }

    public static async Task<SmtpSink> StartAsync(MailSinkOptions options, CancellationToken stop)
    {
        var port = options.SmtpPort == 0 ? FreeLoopbackPort() : options.SmtpPort;
        var serverOptions = new SmtpServerOptionsBuilder()
            .ServerName("portal-mail-sink")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new FolderMessageStore(options.Folder));
        var server = new SmtpServer.SmtpServer(serverOptions, services);
        var completion = server.StartAsync(stop);
        await WaitUntilListeningAsync(port, completion, stop);
        return new SmtpSink(port, completion);
    }

    /// <summary>Whoever started the sink may send as soon as it prints its address, so print only once it accepts.</summary>
    private static async Task WaitUntilListeningAsync(int port, Task completion, CancellationToken stop)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (completion.IsCompleted)
            {
                await completion; // Surfaces the reason it could not listen (the port is taken).
                throw new InvalidOperationException("The SMTP server stopped before it listened.");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, stop);
                return;
            }
            catch (SocketException) when (attempt < 200)
            {
                await Task.Delay(25, stop);
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class FolderMessageStore(string folder) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            // Written under a temporary name and then renamed, so a reader never sees half a message.
            var name = $"{DateTime.UtcNow:yyyyMMdd'T'HHmmssfff}-{Guid.NewGuid():n}";
            var partial = Path.Combine(folder, name + ".partial");
            await using (var file = File.Create(partial))
            {
                foreach (var segment in buffer)
                {
                    await file.WriteAsync(segment, cancellationToken);
                }
            }

            File.Move(partial, Path.Combine(folder, name + ".eml"));
            return SmtpResponse.Ok;
        }
    }
}
