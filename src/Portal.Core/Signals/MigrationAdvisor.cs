using Portal.Core.Latency;

namespace Portal.Core.Signals;

/// <summary>
/// Turns the four signals into DESIGN.md's recommendation: move to dedicated when tail divergence or cold starts
/// (product quality), economics, or a hard requirement fires, naming which; otherwise stay on serverless.
/// "Not enough data" never counts as firing.
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
        var economics = MigrationSignals.Economics(traffic.InputTokens, traffic.OutputTokens, input.Prices, input.Window, input.DedicatedMonthlyCost);
        var requirements = MigrationSignals.Requirements(input.Requirements);

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
            var serverless = MigrationSignals.ProjectServerlessMonthlyCost(traffic.InputTokens, traffic.OutputTokens, input.Prices, input.Window);
            clauses.Add($"serverless would cost {MigrationSignals.Money(serverless)}/month vs {MigrationSignals.Money(input.DedicatedMonthlyCost!.Value)} dedicated");
        }

        if (requirements.Fires)
        {
            reasons.Add(MigrationReason.HardRequirement);
            var names = input.Requirements.Names();
            clauses.Add($"{MigrationSignals.JoinAnd(names)} {(names.Count == 1 ? "requires" : "require")} dedicated");
        }

        var sentence = clauses.Count == 0 ? StayOnServerless : $"Move to dedicated: {string.Join("; ", clauses)}.";
        return new MigrationAssessment([tail, coldStarts, economics, requirements], reasons, sentence);
    }
}
