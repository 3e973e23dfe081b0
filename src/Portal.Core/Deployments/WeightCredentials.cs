namespace Portal.Core.Deployments;

/// <summary>
/// One tenant's decrypted credentials for private weight sources, as a replica launch carries them. Never logged:
/// <see cref="ToString"/> names only which kinds are present.
/// </summary>
public sealed record WeightCredentials
{
    public string? HuggingFaceToken { get; init; }

    public ObjectStoreCredentials? ObjectStore { get; init; }

    public static WeightCredentials None { get; } = new();

    public bool Has(WeightCredentialKind kind) => kind switch
    {
        WeightCredentialKind.HuggingFace => !string.IsNullOrEmpty(HuggingFaceToken),
        _ => ObjectStore is { AccessKeyId.Length: > 0, SecretAccessKey.Length: > 0 },
    };

    /// <summary>The value stored under a <see cref="WeightVariable.SecretKey"/>, or null.</summary>
    public string? ValueOf(string secretKey) => secretKey switch
    {
        "hf-token" => HuggingFaceToken,
        "aws-access-key-id" => ObjectStore?.AccessKeyId,
        "aws-secret-access-key" => ObjectStore?.SecretAccessKey,
        "aws-endpoint-url" => ObjectStore?.Endpoint,
        "aws-region" => ObjectStore?.Region,
        _ => null,
    };

    /// <summary>Secret key → value for every value present, as the tenant's Kubernetes Secret holds them.</summary>
    public IReadOnlyDictionary<string, string> SecretData() =>
        WeightSources.Variables.Select(v => v.SecretKey).Distinct(StringComparer.Ordinal)
            .Select(key => (Key: key, Value: ValueOf(key)))
            .Where(e => !string.IsNullOrEmpty(e.Value))
            .ToDictionary(e => e.Key, e => e.Value!, StringComparer.Ordinal);

    public override string ToString() =>
        $"WeightCredentials {{ HuggingFace = {Has(WeightCredentialKind.HuggingFace)}, ObjectStore = {Has(WeightCredentialKind.ObjectStore)} }}";
}

/// <summary>S3-compatible keys. <see cref="Endpoint"/> null = AWS S3; <see cref="Region"/> null = the client's default.</summary>
public sealed record ObjectStoreCredentials(string AccessKeyId, string SecretAccessKey, string? Endpoint = null, string? Region = null)
{
    public override string ToString() => $"ObjectStoreCredentials {{ AccessKeyId = {AccessKeyId}, Endpoint = {Endpoint}, Region = {Region} }}";
}
