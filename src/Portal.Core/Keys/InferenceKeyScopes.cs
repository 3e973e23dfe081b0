namespace Portal.Core.Keys;

/// <summary>What an inference key may call. Stored as names ("chat", "completions", "embeddings", "models").</summary>
[Flags]
public enum InferenceKeyScopes
{
    None = 0,
    Chat = 1,
    Completions = 2,
    Embeddings = 4,
    Models = 8,
    All = Chat | Completions | Embeddings | Models,
}

public static class InferenceKeyScopeNames
{
    private static readonly (string Name, InferenceKeyScopes Scope)[] _names =
    [
        ("chat", InferenceKeyScopes.Chat),
        ("completions", InferenceKeyScopes.Completions),
        ("embeddings", InferenceKeyScopes.Embeddings),
        ("models", InferenceKeyScopes.Models),
    ];

    public static string NameOf(InferenceKeyScopes scope) => scope switch
    {
        InferenceKeyScopes.Chat => "chat",
        InferenceKeyScopes.Completions => "completions",
        InferenceKeyScopes.Embeddings => "embeddings",
        InferenceKeyScopes.Models => "models",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "Not a single scope."),
    };

    /// <summary>Parses scope names case-insensitively; an unknown name is refused rather than silently ignored.</summary>
    public static InferenceKeyScopes Parse(IEnumerable<string> names)
    {
        var scopes = InferenceKeyScopes.None;
        foreach (var name in names)
        {
            var match = Array.FindIndex(_names, n => string.Equals(n.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match < 0)
            {
                var shown = name is null ? "null" : name.Length > 40 ? $"'{name[..40]}…'" : $"'{name}'";
                throw new FormatException($"Unknown inference key scope {shown}. Known: {string.Join(", ", ToNames(InferenceKeyScopes.All))}.");
            }

            scopes |= _names[match].Scope;
        }

        return scopes;
    }

    public static IReadOnlyList<string> ToNames(InferenceKeyScopes scopes) =>
        [.. _names.Where(n => scopes.HasFlag(n.Scope)).Select(n => n.Name)];
}
