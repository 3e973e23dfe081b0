using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Core.Deployments;

namespace Portal.Deployments;

/// <summary>The one JSON form of a deployment spec: API bodies, the CLI's -f file and the stored desired state.</summary>
public static class DeploymentSpecJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(DeploymentSpec spec) => JsonSerializer.Serialize(spec, Options);

    public static DeploymentSpec Deserialize(string json) =>
        JsonSerializer.Deserialize<DeploymentSpec>(json, Options) ?? throw new JsonException("Empty deployment spec.");
}
