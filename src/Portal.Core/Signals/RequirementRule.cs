namespace Portal.Core.Signals;

/// <summary>
/// Signal 4 from facts: what the customer stated on the endpoint, the endpoint's region lock (and the tenant's policy),
/// 429s the serverless upstream answered in the window (it refused the concurrency the traffic needs), and an upstream
/// model the provider does not list in its <c>/v1/models</c> (its own weights, which a provider serves only on a route of
/// its own choosing). Each need names its source.
/// </summary>
public static class RequirementRule
{
    public const string Stated = "stated on the endpoint";

    public static HardRequirements Evaluate(RequirementFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var needs = new List<HardRequirement>();
        var looked = new List<string>();
        var stated = facts.Stated;

        if (stated.CustomWeights)
        {
            needs.Add(new("custom or fine-tuned weights", Stated));
        }

        if (stated.Quantization is { } quantization)
        {
            needs.Add(new($"{quantization} quantization", Stated));
        }

        if (stated.Residency is { } residency)
        {
            needs.Add(new($"residency in {residency}", Stated));
        }

        if (stated.ConcurrencyFloor is { } floor)
        {
            needs.Add(new($"at least {MigrationSignals.Count(floor)} concurrent requests", Stated));
        }

        if (needs.Count == 0)
        {
            looked.Add("nothing stated on the endpoint");
        }

        if (facts.EndpointLock is { } endpointLock)
        {
            needs.Add(new("a region lock", $"the endpoint's region lock ({Regions(endpointLock)})"));
        }
        else if (facts.TenantPolicy is { } policy)
        {
            needs.Add(new("a region lock", $"the tenant's residency policy ({Regions(policy)})"));
        }
        else
        {
            looked.Add("no region lock on the endpoint or the tenant");
        }

        if (facts.UpstreamRefusals > 0)
        {
            needs.Add(new("concurrency tuning", $"the upstream refused {MigrationSignals.Count(facts.UpstreamRefusals)} request{(facts.UpstreamRefusals == 1 ? "" : "s")} with 429 in the window"));
        }
        else if (facts.UpstreamModel is not null)
        {
            looked.Add("no 429 from the upstream in the window");
        }

        if (facts.UpstreamModel is { } model)
        {
            if (facts.ProviderModels is not { } listed)
            {
                looked.Add($"the provider's model list could not be read, so {model} was not checked against it");
            }
            else if (!listed.Contains(model))
            {
                needs.Add(new("weights the provider does not serve", $"{model} is not in the provider's /v1/models list"));
            }
            else
            {
                looked.Add($"{model} is in the provider's /v1/models list");
            }
        }

        return new HardRequirements(needs, looked);
    }

    private static string Regions(IReadOnlySet<string> regions) => string.Join(", ", regions.Order(StringComparer.Ordinal));
}
