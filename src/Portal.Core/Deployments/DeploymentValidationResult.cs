namespace Portal.Core.Deployments;

/// <summary>Field errors (field → sentences), and when there are none, the resolved deployment.</summary>
public sealed class DeploymentValidationResult
{
    internal DeploymentValidationResult(IReadOnlyDictionary<string, IReadOnlyList<string>> errors, ResolvedDeployment? deployment)
    {
        Errors = errors;
        Deployment = deployment;
    }

    /// <summary>Keys are <see cref="DeploymentFields"/>; each message is a sentence a person can act on.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors { get; }

    /// <summary>Set when valid.</summary>
    public ResolvedDeployment? Deployment { get; }

    public bool IsValid => Errors.Count == 0;

    /// <summary>The shape <c>Results.ValidationProblem</c> and <c>ValidationProblemDetails</c> take.</summary>
    public Dictionary<string, string[]> ToProblemErrors() => Errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public IReadOnlyList<string> For(string field) => Errors.TryGetValue(field, out var messages) ? messages : [];
}
