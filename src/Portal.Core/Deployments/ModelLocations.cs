using System.Text.RegularExpressions;

namespace Portal.Core.Deployments;

/// <summary>Format rules for deployment names and model locations, shared by every entry point.</summary>
public static partial class ModelLocations
{
    public const int HuggingFaceRepositoryMaxLength = 96;
    public const int NameMinLength = 3;
    public const int NameMaxLength = 40;

    /// <summary>Hugging Face's rule: owner/name, each starting with a letter or digit, then letters, digits, '.', '_' or '-'; no "--" or "..".</summary>
    public static bool IsHuggingFaceRepository(string? value) =>
        value is { Length: > 0 and <= HuggingFaceRepositoryMaxLength }
        && HuggingFaceRepositoryPattern().IsMatch(value)
        && !value.Contains("--", StringComparison.Ordinal)
        && !value.Contains("..", StringComparison.Ordinal);

    /// <summary>A branch, a tag or a commit hash.</summary>
    public static bool IsRevision(string? value) => value is { Length: > 0 and <= 128 } && RevisionPattern().IsMatch(value);

    /// <summary><c>s3://bucket/optional/prefix</c> with an S3-valid bucket name.</summary>
    public static bool IsObjectStoreUri(string? value) => value is not null && ObjectStorePattern().IsMatch(value);

    /// <summary>DNS label (RFC 1123): lowercase letters, digits and '-', starting with a letter, not ending with '-'.</summary>
    public static bool IsDeploymentName(string? value) =>
        value is { Length: >= NameMinLength and <= NameMaxLength } && NamePattern().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex HuggingFaceRepositoryPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]*$")]
    private static partial Regex RevisionPattern();

    [GeneratedRegex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^\\s]*)?$")]
    private static partial Regex ObjectStorePattern();

    [GeneratedRegex("^[a-z]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex NamePattern();
}
