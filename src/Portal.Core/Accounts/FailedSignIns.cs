namespace Portal.Core.Accounts;

/// <summary>What a failed password attempt led to.</summary>
public readonly record struct FailureVerdict(bool AddressBlocked, bool AccountLockedOut);

/// <summary>
/// Failed password attempts, counted per account <b>and</b> client address, so that guessing from one address locks
/// that address out of that account and not the account's owner elsewhere. The account as a whole is locked only after
/// far more failures across all addresses in one window (a distributed guess), which the caller turns into Identity's
/// lockout. Counts live in memory: each portal instance counts its own; a restart forgets them.
/// </summary>
public sealed class FailedSignIns(int perAddressLimit, int perAccountLimit, TimeSpan window, int capacity = 100_000)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Account, string Address), Count> _byAddress = new();
    private readonly Dictionary<string, Count> _byAccount = new(StringComparer.Ordinal);

    /// <summary>True while <paramref name="address"/> may not try <paramref name="account"/>'s password.</summary>
    public bool IsBlocked(string account, string address, DateTimeOffset now)
    {
        lock (_gate)
        {
            return _byAddress.TryGetValue((account, address), out var count) && count.BlockedUntil > now;
        }
    }

    public FailureVerdict RecordFailure(string account, string address, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_byAddress.Count >= capacity)
            {
                Prune(now);
            }

            var byAddress = Add(_byAddress, (account, address), perAddressLimit, now);
            var byAccount = Add(_byAccount, account, perAccountLimit, now);
            return new FailureVerdict(byAddress.BlockedUntil > now, byAccount.Failures == perAccountLimit);
        }
    }

    /// <summary>A right password from this address: its count starts again.</summary>
    public void Succeeded(string account, string address)
    {
        lock (_gate)
        {
            _byAddress.Remove((account, address));
        }
    }

    /// <summary>A password reset: every address may try again.</summary>
    public void Forget(string account)
    {
        lock (_gate)
        {
            _byAccount.Remove(account);
            foreach (var key in _byAddress.Keys.Where(k => k.Account == account).ToList())
            {
                _byAddress.Remove(key);
            }
        }
    }

    private Count Add<TKey>(Dictionary<TKey, Count> counts, TKey key, int limit, DateTimeOffset now)
        where TKey : notnull
    {
        var count = counts.TryGetValue(key, out var existing) && !Expired(existing, now) ? existing : new Count(0, now, null);
        count = count with { Failures = count.Failures + 1 };
        if (count.Failures == limit)
        {
            count = count with { BlockedUntil = now + window };
        }

        counts[key] = count;
        return count;
    }

    /// <summary>A block that has passed, or a window without a block that has passed: counting starts again.</summary>
    private bool Expired(Count count, DateTimeOffset now) =>
        count.BlockedUntil is { } until ? until <= now : now - count.Since >= window;

    private void Prune(DateTimeOffset now)
    {
        foreach (var key in _byAddress.Where(e => Expired(e.Value, now)).Select(e => e.Key).ToList())
        {
            _byAddress.Remove(key);
        }

        foreach (var key in _byAccount.Where(e => Expired(e.Value, now)).Select(e => e.Key).ToList())
        {
            _byAccount.Remove(key);
        }
    }

    private sealed record Count(int Failures, DateTimeOffset Since, DateTimeOffset? BlockedUntil);
}
