using System.Diagnostics;
using System.Net.Sockets;

namespace Portal.Benchmarks.Gateway;

/// <summary>
/// nginx as a plain reverse proxy in front of the upstream (keep-alive upstream connections, no buffering either way),
/// for comparison. One process (<c>master_process off</c>) so its CPU time is one number.
/// </summary>
internal sealed class NginxProxy : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";

    private readonly Process _process;
    private readonly string _directory;

    private NginxProxy(Process process, string directory, Uri baseUri)
    {
        _process = process;
        _directory = directory;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public TimeSpan Cpu
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<NginxProxy?> StartIfInstalledAsync(Uri upstream)
    {
        if (!File.Exists(Binary))
        {
            return null;
        }

        var directory = Directory.CreateTempSubdirectory("portal-bench-nginx").FullName;
        var port = PortalProcess.FreePort();
        var config = $$"""
            daemon off;
            master_process off;
            worker_processes 1;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log error;
            events { worker_connections 8192; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/body;
                proxy_temp_path {{directory}}/proxy;
                upstream bench { server {{upstream.Host}}:{{upstream.Port}}; keepalive 256; }
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://bench;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_buffering off;
                        proxy_request_buffering off;
                    }
                }
            }
            """;
        var path = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(path, config);
        var process = Process.Start(new ProcessStartInfo(Binary, ["-p", directory, "-c", path]) { UseShellExecute = false })!;
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return new NginxProxy(process, directory, new Uri($"http://127.0.0.1:{port}/"));
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        process.Kill();
        throw new InvalidOperationException($"nginx did not start; see {directory}/error.log.");
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
