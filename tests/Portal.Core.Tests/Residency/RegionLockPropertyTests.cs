using Portal.Core.Catalog;
using Portal.Core.Gateway;
using Portal.Core.Residency;

namespace Portal.Core.Tests.Residency;

/// <summary>
/// Over thousands of random topologies, locks, failures and burst: every placement and every routed attempt
/// (first choice, burst, failover) lands inside the effective lock, or the answer is "no capacity" (503) — and
/// "no capacity" only when nothing allowed was left.
/// </summary>
public sealed class RegionLockPropertyTests
{
    private const int Cases = 5000;
    private static readonly ModelCatalog Catalog = ModelCatalog.Default;
    private static readonly string[] RegionIds = Catalog.Regions.Select(r => r.Id).ToArray();

    [Fact]
    public void Placement_and_routing_never_leave_the_effective_lock()
    {
        var random = new Random(20261128);
        int placed = 0, refusedPlacement = 0, routed = 0, answered503 = 0;
        for (var n = 0; n < Cases; n++)
        {
            var tenant = random.Next(4) == 0 ? null : RandomLock(random);
            var endpointLocks = Enumerable.Range(0, random.Next(3)).Select(_ => random.Next(3) == 0 ? null : RandomLock(random)).ToList();
            var effective = ResidencyRule.Effective(tenant, endpointLocks);
            var home = Catalog.Regions[random.Next(Catalog.Regions.Count)];

            // Burst placement: capacity comes and goes per region.
            var capacity = RegionIds.ToDictionary(id => id, _ => random.NextDouble() < 0.5);
            var chosen = RegionPlacement.Choose(home, effective, id => capacity[id]);
            var firstAllowed = RegionPlacement.Order(home).FirstOrDefault(id => RegionLock.Allows(effective, id) && capacity[id]);
            Assert.Equal(firstAllowed, chosen);
            if (chosen is null)
            {
                refusedPlacement++;
            }
            else
            {
                placed++;
                Assert.True(RegionLock.Allows(effective, chosen), $"case {n}: placed in {chosen} outside {Describe(effective)}");
            }

            // Routing with failover: replicas anywhere (stale ones outside the lock too), some failed, some burst.
            var replicas = RandomReplicas(random, home, chosen);
            var tried = new bool[replicas.Length];
            for (var attempt = 0; attempt <= replicas.Length; attempt++)
            {
                var candidates = replicas.Select((r, i) => r with { Excluded = tried[i] }).ToArray();
                var choice = ReplicaRouting.Choose(candidates, effective, (uint)random.Next());
                var anyUsable = candidates.Any(c => !c.Excluded && c.State == ReplicaRouteState.Ready && RegionLock.Allows(effective, c.Region));
                if (!choice.HasCapacity)
                {
                    Assert.False(anyUsable, $"case {n}: answered 503 although allowed capacity was left");
                    answered503++;
                    break;
                }

                var replica = candidates[choice.Index];
                Assert.True(RegionLock.Allows(effective, replica.Region), $"case {n}: routed to {replica.Region} outside {Describe(effective)}");
                Assert.Equal(ReplicaRouteState.Ready, replica.State);
                Assert.False(replica.Excluded);
                routed++;

                if (random.Next(3) == 0)
                {
                    break; // The attempt succeeded.
                }

                // The attempt failed before the response started: fail over to the next choice, as the gateway does.
                tried[choice.Index] = true;
            }
        }

        // The generator really exercised both outcomes on both paths.
        Assert.True(placed > Cases / 10 && refusedPlacement > Cases / 10, $"placed {placed}, refused {refusedPlacement}");
        Assert.True(routed > Cases / 2 && answered503 > Cases / 4, $"routed {routed}, 503 {answered503}");
    }

    private static HashSet<string> RandomLock(Random random)
    {
        if (random.Next(2) == 0)
        {
            var jurisdictions = Enum.GetValues<Jurisdiction>().Where(_ => random.Next(3) == 0);
            return ResidencyRule.Resolve(Catalog, jurisdictions, null).ToHashSet(StringComparer.OrdinalIgnoreCase);
        }

        return RegionIds.Where(_ => random.Next(4) == 0).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    private static ReplicaCandidate[] RandomReplicas(Random random, Region home, string? burstRegion)
    {
        var count = random.Next(0, 9);
        var replicas = new ReplicaCandidate[count];
        for (var i = 0; i < count; i++)
        {
            var burst = random.Next(3) == 0;
            var region = random.Next(4) switch
            {
                0 => RegionIds[random.Next(RegionIds.Length)],
                1 when burst && burstRegion is not null => burstRegion,
                _ => home.Id,
            };
            var state = random.Next(5) switch
            {
                0 => ReplicaRouteState.Unavailable,
                1 => ReplicaRouteState.Draining,
                _ => ReplicaRouteState.Ready,
            };
            replicas[i] = new ReplicaCandidate(region, burst, state, random.Next(0, 100), 64);
        }

        return replicas;
    }

    private static string Describe(IReadOnlySet<string>? allowed) => allowed is null ? "no lock" : $"[{string.Join(", ", allowed)}]";
}
