namespace Portal.Core.Gateway;

/// <summary>Where a target's requests go: replicas this portal runs, or an external OpenAI-compatible service.</summary>
public enum TargetKind
{
    Dedicated,
    Serverless,
}
