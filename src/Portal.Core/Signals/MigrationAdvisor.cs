using Portal.Core.Cost;
using Portal.Core.Latency;

namespace Portal.Core.Signals;

/// <summary>
/// Turns the four signals into DESIGN.md's recommendation: move to dedicated when tail divergence or cold starts
/// (product quality), economics, or a hard requirement fires, naming which; otherwise stay on serverless.
/// "Not enough data" never counts as firing. An endpoint already served dedicated gets no "stay on serverless": its
/// advice is to keep it, scale it down or move it back, by its replicas' utilisation (<see cref="DedicatedAdvice"/>).
/// </summary>
public static class MigrationAdvisor
{
    /// <summary>The sentence when nothing fires.</summary>
    public const string StayOnServerless = "Stay on serverless: migration is premature.";

    public static MigrationAssessment Assess(MigrationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var traffic = input.Traffic;
        var tail = MigrationSignals.TailDivergence(traffic.Ttft);
        var coldStarts = MigrationSignals.ColdStarts(traffic.Requests, traffic.ColdStarts);
        var economics = Economics(input);
        var requirements = MigrationSignals.Requirements(input.Requirements);
        if (input.ServedDedicated)
        {
            return Dedicated(input, [tail, coldStarts, economics, requirements]);
        }

        var reasons = new List<MigrationReason>();
        var clauses = new List<string>();

        var quality = new List<string>();
        if (tail.Fires)
        {
            quality.Add($"tail divergence (p99/p50 = {MigrationSignals.Ratio(tail.Value!.Value)})");
        }

        if (coldStarts.Fires)
        {
            var oneIn = ColdStartRule.OneIn(traffic.Requests, traffic.ColdStarts)!.Value;
            quality.Add($"cold starts ({MigrationSignals.Count(traffic.ColdStarts)}, 1 in {MigrationSignals.Count(oneIn)})");
        }

        if (quality.Count > 0)
        {
            reasons.Add(MigrationReason.ProductQuality);
            clauses.Add($"{MigrationSignals.JoinAnd(quality)} {(quality.Count == 1 ? "hurts" : "hurt")} product quality");
        }

        if (economics.Fires)
        {
            reasons.Add(MigrationReason.Economics);
            if (economics.Unit == MigrationSignal.UtilisationUnit)
            {
                clauses.Add($"a replica would run at {MigrationSignals.Percent(economics.Value!.Value)} utilisation, where dedicated pays off");
            }
            else
            {
                var serverless = MigrationSignals.ProjectServerlessMonthlyCost(traffic.InputTokens, traffic.OutputTokens, input.Prices, input.Window);
                clauses.Add($"serverless would cost {MigrationSignals.Money(serverless)}/month vs {MigrationSignals.Money(input.DedicatedMonthlyCost!.Value)} dedicated");
            }
        }

        if (requirements.Fires)
        {
            reasons.Add(MigrationReason.HardRequirement);
            var names = input.Requirements.Names();
            clauses.Add($"{MigrationSignals.JoinAnd(names)} {(names.Count == 1 ? "requires" : "require")} dedicated");
        }

        var sentence = clauses.Count == 0 ? StayOnServerless : $"Move to dedicated: {string.Join("; ", clauses)}.";
        return new MigrationAssessment([tail, coldStarts, economics, requirements], reasons, sentence,
            Utilisation: economics.Unit == MigrationSignal.UtilisationUnit ? economics.Value : null);
    }

    /// <summary>
    /// With a capacity, utilisation against the replica time (the seed's 40–50 % band); without one, DESIGN.md's monthly
    /// cost comparison.
    /// </summary>
    private static MigrationSignal Economics(MigrationInput input)
    {
        var traffic = input.Traffic;
        if (input.Capacity is not { } capacity)
        {
            return MigrationSignals.Economics(traffic.InputTokens, traffic.OutputTokens, input.Prices, input.Window, input.DedicatedMonthlyCost);
        }

        decimal? serverless = input.Window > TimeSpan.Zero
            ? MigrationSignals.ProjectServerlessMonthlyCost(traffic.InputTokens, traffic.OutputTokens, input.Prices, input.Window)
            : null;
        return MigrationSignals.Utilisation(traffic.OutputTokens, input.ServedDedicated ? input.ReplicaTime ?? TimeSpan.Zero : input.Window,
            capacity, input.ServedDedicated ? null : serverless, input.DedicatedMonthlyCost);
    }

    private static MigrationAssessment Dedicated(MigrationInput input, MigrationSignal[] signals)
    {
        var economics = signals[(int)SignalKind.Economics];
        var objective = input.MeetsObjective switch
        {
            true => " It meets its objective.",
            false => " It misses its objective.",
            null => "",
        };
        if (economics.Unit != MigrationSignal.UtilisationUnit || economics.Value is not { } utilisation || input.Capacity is not { } capacity)
        {
            return new MigrationAssessment(signals, [], "Served dedicated: its utilisation is not known yet (no capacity measured or in the catalog for "
                + $"this model and GPU), so there is no advice to scale down or move back.{objective}", DedicatedAdvice.NotMeasured);
        }

        var percent = MigrationSignals.Percent(utilisation);
        var paysOff = MigrationSignals.Percent(MigrationSignals.PaysOffUtilisation);
        if (utilisation >= MigrationSignals.PaysOffUtilisation)
        {
            return new MigrationAssessment(signals, [], $"Keep dedicated: its replicas run at {percent} utilisation, at or above the {paysOff} where dedicated pays off.{objective}",
                DedicatedAdvice.Keep, utilisation);
        }

        // What one replica would run at, carrying the whole window's traffic alone.
        var oneReplica = input.Window > TimeSpan.Zero ? CostCalculator.Utilisation(input.Traffic.OutputTokens, input.Window, capacity.TokensPerSecond) : 0;
        var fewer = (int)Math.Floor(oneReplica / MigrationSignals.PaysOffUtilisation);
        if (fewer >= 1 && fewer < input.Replicas)
        {
            return new MigrationAssessment(signals, [],
                $"Scale down to {fewer} replica{(fewer == 1 ? "" : "s")}: its replicas run at {percent} utilisation; {fewer} would run at "
                + $"{MigrationSignals.Percent(oneReplica / fewer)}, where dedicated pays off.{objective}",
                DedicatedAdvice.ScaleDown, utilisation);
        }

        if (input.Requirements.Needs.Count > 0)
        {
            var names = input.Requirements.Names();
            return new MigrationAssessment(signals, [],
                $"Keep dedicated: {MigrationSignals.JoinAnd(names)} {(names.Count == 1 ? "requires" : "require")} it, though its replicas run at {percent} "
                + $"utilisation, below the {paysOff} where dedicated pays off.{objective}",
                DedicatedAdvice.Keep, utilisation);
        }

        return new MigrationAssessment(signals, [],
            $"Move back to serverless: one replica would run at {MigrationSignals.Percent(oneReplica)} utilisation, below the {paysOff} where dedicated "
            + $"pays off, and nothing requires dedicated.{objective}",
            DedicatedAdvice.MoveBack, utilisation);
    }
}
