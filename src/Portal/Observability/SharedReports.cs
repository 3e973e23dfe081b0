using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Portal.Identity;

namespace Portal.Observability;

/// <summary>
/// A window's figures computed once and handed to every open page that asks for the same tenant and filters within
/// <c>Observability:SharedReportSeconds</c>: a page load renders twice (prerendered, then in its circuit) and many people
/// may watch one endpoint, yet the database reads and merges run once per interval. Each entry's key carries the tenant,
/// and the caller's right to read that tenant is checked before anything is handed out. Callers that must see the
/// latest sample (the API) do not come here.
/// </summary>
public sealed class SharedReports(IMemoryCache cache, IOptions<ObservabilityOptions> options, TimeProvider clock)
{
    private readonly Lock _gate = new();

    /// <summary>How long a computed figure is shared; the page says so beside the figures.</summary>
    public TimeSpan Staleness => TimeSpan.FromSeconds(Math.Max(0, options.Value.SharedReportSeconds));

    /// <summary>
    /// The figures for (<paramref name="tenantId"/>, <paramref name="key"/>): the shared ones while younger than
    /// <see cref="Staleness"/>, else <paramref name="compute"/>'s, which then become the shared ones. Concurrent callers
    /// of one key wait for the same computation. Null when the caller may not read the tenant's observability.
    /// </summary>
    public async Task<T?> GetAsync<T>(Caller caller, Guid tenantId, object key, Func<CancellationToken, Task<T>> compute) where T : class
    {
        if (!TtftService.CanRead(caller, tenantId))
        {
            return null;
        }

        if (Staleness == TimeSpan.Zero)
        {
            return await compute(CancellationToken.None);
        }

        var cacheKey = new Key(tenantId, typeof(T), key);
        var now = clock.GetUtcNow();
        Entry<T> entry;
        lock (_gate)
        {
            if (!cache.TryGetValue(cacheKey, out Entry<T>? shared) || shared is null || now - shared.ComputedAt >= Staleness)
            {
                // Not the caller's token: one person closing the page must not cancel the figures another one waits for.
                shared = new Entry<T>(now, compute(CancellationToken.None));
                cache.Set(cacheKey, shared, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Staleness });
            }

            entry = shared;
        }

        try
        {
            return await entry.Figures;
        }
        catch
        {
            // A failed computation is not shared: the next caller tries again.
            lock (_gate)
            {
                if (cache.TryGetValue(cacheKey, out Entry<T>? current) && ReferenceEquals(current, entry))
                {
                    cache.Remove(cacheKey);
                }
            }

            throw;
        }
    }

    private sealed record Key(Guid TenantId, Type Kind, object Filters);

    private sealed record Entry<T>(DateTimeOffset ComputedAt, Task<T> Figures);
}
