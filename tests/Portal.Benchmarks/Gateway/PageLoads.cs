using Portal.Tests.Support;

namespace Portal.Benchmarks.Gateway;

/// <summary>A signed-in client loading the Observability page once a second until the run it watches ends.</summary>
internal sealed class PageLoads
{
    public List<double> Durations { get; } = [];

    public int Failures { get; private set; }

    public static async Task<PageLoads> StartAsync(Uri portal)
    {
        var loads = new PageLoads();
        using var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new(), UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = portal,
        };
        await client.SignInAsync("admin@demo.local");
        for (var i = 0; i < 8; i++)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                _ = await client.GetStringAsync("observability");
                loads.Durations.Add(watch.Elapsed.TotalMilliseconds);
            }
            catch (HttpRequestException)
            {
                loads.Failures++;
            }

            await Task.Delay(TimeSpan.FromSeconds(1) - watch.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
        }

        return loads;
    }
}
