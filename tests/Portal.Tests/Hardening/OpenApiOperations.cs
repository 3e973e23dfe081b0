using System.Text.Json.Nodes;

namespace Portal.Tests.Hardening;

/// <summary>One operation of the portal's OpenAPI document, reduced to what a caller can vary.</summary>
public sealed record ApiOperation(string Method, string PathTemplate, IReadOnlyList<ApiParameter> Parameters, ApiSchema? Body)
{
    public override string ToString() => $"{Method} {PathTemplate}";

    /// <summary>Every operation of the document, platform administration last (it may suspend the tenants the others use).</summary>
    public static IReadOnlyList<ApiOperation> AllIn(JsonNode document)
    {
        var schemas = document["components"]?["schemas"]?.AsObject();
        var operations = new List<ApiOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (method is "parameters" or "summary" or "description" or "servers")
                {
                    continue;
                }

                var parameters = (operation!["parameters"]?.AsArray() ?? [])
                    .Concat(item["parameters"]?.AsArray() ?? [])
                    .Select(p => new ApiParameter(p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), ApiSchema.From(p["schema"], schemas, 0)))
                    .ToList();
                var body = operation["requestBody"]?["content"]?["application/json"]?["schema"] is { } schema ? ApiSchema.From(schema, schemas, 0) : null;
                operations.Add(new ApiOperation(method.ToUpperInvariant(), path, parameters, body));
            }
        }

        return operations.OrderBy(o => o.PathTemplate.Contains("/platform/", StringComparison.Ordinal)).ToList();
    }
}

public sealed record ApiParameter(string Name, string In, ApiSchema Schema);

/// <summary>A schema reduced to its kind (string, uuid, integer, number, boolean, array, object) and an object's properties.</summary>
public sealed record ApiSchema(string Kind, IReadOnlyList<(string Name, ApiSchema Schema)> Properties, IReadOnlyList<string> EnumValues)
{
    private const int MaxDepth = 3;

    public static ApiSchema From(JsonNode? schema, JsonObject? components, int depth)
    {
        if (schema is null || depth > MaxDepth)
        {
            return new ApiSchema("string", [], []);
        }

        if (schema["$ref"]?.GetValue<string>() is { } reference && components?[reference.Split('/')[^1]] is { } target)
        {
            return From(target, components, depth + 1);
        }

        if ((schema["oneOf"] ?? schema["anyOf"] ?? schema["allOf"])?.AsArray().FirstOrDefault(s => s?["type"]?.ToString() != "null") is { } first)
        {
            return From(first, components, depth);
        }

        var type = schema["type"] switch
        {
            JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null") ?? "string",
            JsonValue value => value.GetValue<string>(),
            _ => schema["properties"] is null ? "string" : "object",
        };
        var kind = type == "string" && schema["format"]?.GetValue<string>() == "uuid" ? "uuid" : type;
        var properties = (schema["properties"]?.AsObject() ?? [])
            .Select(p => (p.Key, From(p.Value, components, depth + 1)))
            .ToList();
        var enumValues = (schema["enum"]?.AsArray() ?? []).Where(v => v is not null).Select(v => v!.ToString()).ToList();
        var items = kind == "array" ? [("items", From(schema["items"], components, depth + 1))] : properties;
        return new ApiSchema(kind, items, enumValues);
    }
}
