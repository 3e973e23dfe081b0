using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Portal.Simulator.Configuration;

/// <summary>
/// Reads and writes the simulator's command line. Every <see cref="SimulatorOptions"/> property is a flag
/// (<c>TimeScale</c> → <c>--time-scale</c>); <c>--profile</c> names a shipped profile or a JSON file, and flags override it.
/// </summary>
public static class SimulatorCommandLine
{
    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly Dictionary<string, PropertyInfo> _flags = typeof(SimulatorOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite)
        .ToDictionary(p => FlagName(p.Name), StringComparer.Ordinal);

    /// <summary>All knob flags, without the leading dashes.</summary>
    public static IReadOnlyCollection<string> Flags => _flags.Keys;

    /// <summary>Builds options from <c>--profile</c> (optional) and flags; throws <see cref="ArgumentException"/> on a bad flag.</summary>
    public static SimulatorOptions Parse(IReadOnlyList<string> args)
    {
        var profile = new JsonObject();
        var overrides = new JsonObject();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{arg}'. Flags look like --time-scale 0.01.");
            }

            var name = arg[2..];
            string? value = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }

            if (name == "profile")
            {
                value ??= i + 1 < args.Count ? args[++i] : throw new ArgumentException("--profile needs a name or a file.");
                profile = SimulatorProfiles.LoadJson(value);
                continue;
            }

            if (!_flags.TryGetValue(name, out var property))
            {
                throw new ArgumentException($"Unknown flag --{name}. Known flags: --profile, --{string.Join(", --", _flags.Keys)}.");
            }

            if (value is null)
            {
                var next = i + 1 < args.Count ? args[i + 1] : null;
                var isBoolean = property.PropertyType == typeof(bool);
                if (next is null || (isBoolean && next.StartsWith("--", StringComparison.Ordinal)))
                {
                    value = isBoolean ? "true" : throw new ArgumentException($"--{name} needs a value.");
                }
                else
                {
                    value = next;
                    i++;
                }
            }

            overrides[JsonNamingPolicy.CamelCase.ConvertName(property.Name)] = ToJson(name, property.PropertyType, value);
        }

        foreach (var (key, value) in overrides)
        {
            profile[key] = value?.DeepClone();
        }

        return FromJson(profile);
    }

    /// <summary>The flags that reproduce <paramref name="options"/> exactly, for launching the simulator as a process.</summary>
    public static IReadOnlyList<string> ToArguments(SimulatorOptions options)
    {
        var args = new List<string>();
        foreach (var (flag, property) in _flags)
        {
            args.Add("--" + flag);
            args.Add(property.GetValue(options) switch
            {
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                var other => other?.ToString() ?? string.Empty,
            });
        }

        return args;
    }

    internal static SimulatorOptions FromJson(JsonObject json)
    {
        SimulatorOptions options;
        try
        {
            options = json.Deserialize<SimulatorOptions>(JsonOptions) ?? new SimulatorOptions();
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Invalid simulator profile: {e.Message}", e);
        }

        options.Validate();
        return options;
    }

    /// <summary><c>MaxNumSeqs</c> → <c>max-num-seqs</c>.</summary>
    internal static string FlagName(string propertyName)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < propertyName.Length; i++)
        {
            var c = propertyName[i];
            var startsWord = char.IsUpper(c) && i > 0 && !char.IsUpper(propertyName[i - 1]);
            var startsNumber = char.IsDigit(c) && i > 0 && !char.IsDigit(propertyName[i - 1]);
            if (startsWord || startsNumber)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    private static JsonNode ToJson(string flag, Type type, string value)
    {
        if (type == typeof(string) || type.IsEnum)
        {
            return JsonValue.Create(value);
        }

        if (type == typeof(bool))
        {
            return bool.TryParse(value, out var b) ? JsonValue.Create(b) : throw Invalid(flag, value, "true or false");
        }

        if (type == typeof(int))
        {
            return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
                ? JsonValue.Create(n)
                : throw Invalid(flag, value, "an integer");
        }

        // NaN and infinities parse, but JSON cannot carry them and no knob means them.
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? JsonValue.Create(d)
            : throw Invalid(flag, value, "a finite number");
    }

    private static ArgumentException Invalid(string flag, string value, string expected) =>
        new($"--{flag} got '{value}', expected {expected}.");
}
