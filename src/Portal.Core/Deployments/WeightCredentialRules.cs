using System.Text.RegularExpressions;

namespace Portal.Core.Deployments;

/// <summary>What a tenant submits to store or rotate one weight credential.</summary>
public sealed record WeightCredentialInput
{
    public WeightCredentialKind? Kind { get; init; }

    /// <summary>Hugging Face access token (<see cref="WeightCredentialKind.HuggingFace"/>).</summary>
    public string? Token { get; init; }

    public string? AccessKeyId { get; init; }

    public string? SecretAccessKey { get; init; }

    /// <summary>S3-compatible endpoint URL; null = AWS S3.</summary>
    public string? Endpoint { get; init; }

    public string? Region { get; init; }

    public override string ToString() => $"WeightCredentialInput {{ Kind = {Kind}, AccessKeyId = {AccessKeyId}, Endpoint = {Endpoint}, Region = {Region} }}";
}

/// <summary>Format rules for weight credentials, the values a valid input stores, and how a stored one is shown.</summary>
public static partial class WeightCredentialRules
{
    public const string KindField = "kind";
    public const string TokenField = "token";
    public const string AccessKeyIdField = "accessKeyId";
    public const string SecretAccessKeyField = "secretAccessKey";
    public const string EndpointField = "endpoint";
    public const string RegionField = "region";

    /// <summary>Field errors (field → sentences); empty when the input can be stored.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(WeightCredentialInput input)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        switch (input.Kind)
        {
            case WeightCredentialKind.HuggingFace:
                if (!IsSecret(input.Token))
                {
                    errors[TokenField] = ["Give the Hugging Face access token: 8 to 512 characters without spaces (it usually starts with hf_)."];
                }

                foreach (var (field, value) in new[] { (AccessKeyIdField, input.AccessKeyId), (SecretAccessKeyField, input.SecretAccessKey), (EndpointField, input.Endpoint), (RegionField, input.Region) })
                {
                    if (!string.IsNullOrEmpty(value))
                    {
                        errors[field] = ["A Hugging Face credential is a token only; object-store fields belong to kind ObjectStore."];
                    }
                }

                break;

            case WeightCredentialKind.ObjectStore:
                if (input.AccessKeyId is null || !AccessKeyIdPattern().IsMatch(input.AccessKeyId))
                {
                    errors[AccessKeyIdField] = ["Give the access key id: 3 to 128 letters, digits, '-' or '_'."];
                }

                if (!IsSecret(input.SecretAccessKey))
                {
                    errors[SecretAccessKeyField] = ["Give the secret access key: 8 to 512 characters without spaces."];
                }

                if (!string.IsNullOrWhiteSpace(input.Endpoint)
                    && (!Uri.TryCreate(input.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("https" or "http")
                        || input.Endpoint.Length > 400 || !string.IsNullOrEmpty(endpoint.UserInfo)))
                {
                    errors[EndpointField] = ["The endpoint must be an absolute https:// (or http://) URL of at most 400 characters, without user information."];
                }

                if (!string.IsNullOrWhiteSpace(input.Region) && !RegionPattern().IsMatch(input.Region.Trim()))
                {
                    errors[RegionField] = ["The region must be 2 to 32 lowercase letters, digits or '-', e.g. eu-central-1."];
                }

                if (!string.IsNullOrEmpty(input.Token))
                {
                    errors[TokenField] = ["An object-store credential has no token; a Hugging Face token belongs to kind HuggingFace."];
                }

                break;

            default:
                errors[KindField] = ["Choose the kind: HuggingFace or ObjectStore."];
                break;
        }

        return errors;
    }

    /// <summary>The credentials a valid input stores (empty optional fields become null).</summary>
    public static WeightCredentials ToCredentials(WeightCredentialInput input) => input.Kind switch
    {
        WeightCredentialKind.HuggingFace => new WeightCredentials { HuggingFaceToken = input.Token },
        _ => new WeightCredentials
        {
            ObjectStore = new ObjectStoreCredentials(input.AccessKeyId!, input.SecretAccessKey!, NullIfEmpty(input.Endpoint), NullIfEmpty(input.Region)),
        },
    };

    /// <summary>
    /// How a stored credential is told apart without revealing it: a token by its public prefix only ("hf_…"), an access
    /// key id (an identifier, not a secret) by its first and last four characters.
    /// </summary>
    public static string Hint(WeightCredentialInput input) => input.Kind switch
    {
        WeightCredentialKind.HuggingFace => input.Token is { Length: >= 3 } token && token.StartsWith("hf_", StringComparison.Ordinal) ? "hf_…" : "…",
        _ => input.AccessKeyId is { Length: > 8 } id ? $"{id[..4]}…{id[^4..]}" : "…",
    };

    private static bool IsSecret(string? value) => value is { Length: >= 8 and <= 512 } && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("^[A-Za-z0-9_-]{3,128}$")]
    private static partial Regex AccessKeyIdPattern();

    [GeneratedRegex("^[a-z0-9-]{2,32}$")]
    private static partial Regex RegionPattern();
}
