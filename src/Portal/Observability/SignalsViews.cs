using System.Text.Json;
using Portal.Core.Cost;
using Portal.Core.Latency;
using Portal.Core.Signals;
using Portal.Data.Entities;

namespace Portal.Observability;

/// <summary>The parts of a <see cref="SignalsReport"/> made from what <see cref="SignalsService"/> gathered.</summary>
internal static class SignalsViews
{
    /// <summary>The primary and shadow tiers' spend in the window, each spread over every request its target served.</summary>
    public static List<TierCostView> Costs(InferenceEndpoint endpoint, IReadOnlyList<MinuteRollup> rollups, DateTimeOffset from, DateTimeOffset to)
    {
        var costs = new List<TierCostView>();
        foreach (var (tier, target) in new[] { ("primary", endpoint.PrimaryTarget), ("shadow", endpoint.SecondaryTarget) })
        {
            if (target is null)
            {
                continue;
            }

            var served = rollups.Where(r => r.Key.TargetId == target.Id && r.Key.Traffic != TrafficKind.Probe).ToList();
            var requests = served.Sum(r => r.Requests);
            if (target.Deployment is { } deployment)
            {
                var spend = DeploymentSpend.Usd(deployment, from, to);
                costs.Add(new TierCostView(tier, target.Name, spend, requests, CostCalculator.PerRequest(spend, requests),
                    (double)DeploymentSpend.ReplicaHours(deployment, from, to)));
            }
            else
            {
                var spend = CostCalculator.ServerlessUsd(served.Sum(r => r.PromptTokens), served.Sum(r => r.CompletionTokens),
                    new TokenPrices(target.InputPricePerMillion, target.OutputPricePerMillion));
                costs.Add(new TierCostView(tier, target.Name, spend, requests, CostCalculator.PerRequest(spend, requests), null));
            }
        }

        return costs;
    }

    public static SignalView Signal(MigrationSignal signal, string evidence) => new(
        JsonNamingPolicy.CamelCase.ConvertName(signal.Kind.ToString()),
        signal.Kind switch
        {
            SignalKind.TailDivergence => "p99/p50 TTFT",
            SignalKind.ColdStarts => "Cold starts",
            SignalKind.Economics when signal.Unit == MigrationSignal.UtilisationUnit => "Replica utilisation",
            SignalKind.Economics => "Serverless vs dedicated $/month",
            _ => "Hard requirements",
        },
        signal.Value,
        signal.Threshold,
        signal.Unit ?? signal.Kind switch
        {
            SignalKind.TailDivergence => "ratio",
            SignalKind.ColdStarts => "events",
            SignalKind.Economics => "usd/month",
            _ => "requirements",
        },
        JsonNamingPolicy.CamelCase.ConvertName(signal.State.ToString()),
        signal.Evidence,
        signal.Kind == SignalKind.Requirements ? "/regions" : evidence);
}
