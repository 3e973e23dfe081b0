using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Migration.DryRun;

/// <summary>How candidates and reports are stored and answered: web casing, enums by name.</summary>
public static class DryRunJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}
