using System.Globalization;
using System.Text.Json;
using CsCheck;

namespace Portal.Tests.Hardening;

/// <summary>
/// Inputs a careless client or an attacker sends: missing, wrong-type, over-long, extreme, unicode and foreign
/// (another tenant's ids), as JSON text for bodies and as raw text for paths and queries.
/// </summary>
public sealed class HostileInputs(IReadOnlyList<string> knownIds)
{
    private static readonly string[] ExtremeNumbers =
    [
        "2147483647", "-2147483648", "2147483648", "9223372036854775807", "-9223372036854775808", "1e308", "-1e308",
        "1e-320", "0", "-1", "99999999999999999999999999999999", "-0.0", "0.5",
    ];

    private static readonly string[] OddText =
    [
        "", " ", " leading", "trailing ", "💥", "\u202Eevil", "é漢字", "a\u0000b", "\ufffd", "a\r\nb", "<script>alert(1)</script>",
        "'; DROP TABLE Tenants;--", "../../etc/passwd", "%00", "null", "NaN", "-1", "Production", "TenantAdmin", "ALL",
    ];

    /// <summary>JSON that is not what any schema asks for, including text no UTF-16 string may hold.</summary>
    private static readonly string[] WrongJson =
    [
        "null", "true", "false", "[]", "{}", "\"\"", "[1,\"a\",null]", "{\"a\":{\"b\":[]}}", "\"\\ud800\"", "\"\\u0000\"",
    ];

    private static readonly string[] BrokenBodies = ["", "{", "}", "null", "[]", "\"text\"", "{\"a\":", "12", "{\"name\":\"x\",}", "<xml/>"];

    public Gen<string> Text { get; } = Gen.Frequency(
        (3, Gen.String["abcxyzABC019 -_.é漢"]),
        (3, Gen.OneOf(OddText)),
        (1, Gen.Int[300, 5000].Select(n => new string('x', n))),
        (1, Gen.Int[100, 1200].Select(n => string.Concat(Enumerable.Repeat("漢💥", n)))));

    public Gen<string> Id => Gen.Frequency(
        (4, Gen.OneOf(knownIds.ToArray())),
        (2, Gen.Guid.Select(g => g.ToString())),
        (1, Gen.Const(Guid.Empty.ToString())),
        (1, Text));

    /// <summary>A value for a path segment or a query parameter.</summary>
    public Gen<string> Raw(ApiSchema schema) => schema.Kind switch
    {
        "uuid" => Id,
        "integer" or "number" => Gen.Frequency((2, Gen.Int[-5, 500].Select(i => i.ToString(CultureInfo.InvariantCulture))), (2, Gen.OneOf(ExtremeNumbers)), (1, Text)),
        "boolean" => Gen.Frequency((3, Gen.OneOf("true", "false")), (1, Text)),
        _ when schema.EnumValues.Count > 0 => Gen.Frequency((3, Gen.OneOf(schema.EnumValues.ToArray())), (1, Text)),
        _ => Gen.Frequency((1, Id), (3, Text)),
    };

    /// <summary>A request body: mostly an object shaped like the schema with hostile values, sometimes not JSON at all.</summary>
    public Gen<string> Body(ApiSchema schema) => Gen.Frequency(
        (1, Gen.OneOf(BrokenBodies)),
        (1, Gen.OneOf(WrongJson)),
        (6, Typed(schema, 0)));

    /// <summary>A value for one property: well-typed, of the wrong type, or left out (null).</summary>
    private Gen<string?> Property(ApiSchema schema, int depth) => Gen.Frequency(
        (4, Typed(schema, depth).Select(v => (string?)v)),
        (1, Gen.OneOf(WrongJson.Concat(ExtremeNumbers).ToArray()).Select(v => (string?)v)),
        (2, Gen.Const((string?)null)));

    private Gen<string> Typed(ApiSchema schema, int depth) => schema.Kind switch
    {
        "uuid" => Id.Select(Quote),
        "integer" => Gen.Frequency((3, Gen.Int[-5, 500].Select(i => i.ToString(CultureInfo.InvariantCulture))), (2, Gen.OneOf(ExtremeNumbers))),
        "number" => Gen.Frequency((3, Gen.Int[-500, 500].Select(i => (i / 8.0).ToString("R", CultureInfo.InvariantCulture))), (2, Gen.OneOf(ExtremeNumbers))),
        "boolean" => Gen.OneOf("true", "false"),
        "array" when depth < 3 => Typed(schema.Properties[0].Schema, depth + 1).Array[0, 3].Select(items => $"[{string.Join(',', items)}]"),
        "object" when depth < 3 => Object(schema, depth),
        _ when schema.EnumValues.Count > 0 => Gen.Frequency((3, Gen.OneOf(schema.EnumValues.ToArray()).Select(Quote)), (1, Text.Select(Quote))),
        _ => Text.Select(Quote),
    };

    private Gen<string> Object(ApiSchema schema, int depth)
    {
        var members = Gen.Const(Array.Empty<string>());
        foreach (var (name, property) in schema.Properties)
        {
            members = Gen.Select(members, Property(property, depth + 1),
                (written, value) => value is null ? written : [.. written, $"{Quote(name)}:{value}"]);
        }

        return members.Select(written => $"{{{string.Join(',', written)}}}");
    }

    private static string Quote(string text) => JsonSerializer.Serialize(text);
}
