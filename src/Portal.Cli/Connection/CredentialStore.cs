using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Cli.Connection;

/// <summary>A portal's tokens as the command line keeps them.</summary>
public sealed record StoredCredential
{
    /// <summary>"client" (client credentials) or "device" (a person signed in with a device code).</summary>
    public required string Kind { get; init; }

    public required string ClientId { get; init; }

    /// <summary>Kept for client credentials only, so an expired token is replaced without a new login.</summary>
    public string? ClientSecret { get; init; }

    public required string AccessToken { get; init; }

    public string? RefreshToken { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>
/// credentials.json in the user's config folder: one entry per portal URL and the portal last logged in to.
/// Readable and writable by its owner only (0600), since it holds tokens.
/// </summary>
public sealed class CredentialStore(string directory)
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string FilePath { get; } = Path.Combine(directory, "credentials.json");

    private sealed record Contents
    {
        public string? Current { get; init; }

        public Dictionary<string, StoredCredential> Portals { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    }

    public string? CurrentPortal => Read().Current;

    public StoredCredential? Get(Uri portal) => Read().Portals.GetValueOrDefault(Key(portal));

    public void Save(Uri portal, StoredCredential credential)
    {
        var contents = Read();
        contents.Portals[Key(portal)] = credential;
        Write(contents with { Current = Key(portal) });
    }

    public bool Remove(Uri portal)
    {
        var contents = Read();
        var removed = contents.Portals.Remove(Key(portal));
        Write(contents with { Current = contents.Current == Key(portal) ? null : contents.Current });
        return removed;
    }

    private static string Key(Uri portal) => portal.GetLeftPart(UriPartial.Path).TrimEnd('/');

    private Contents Read()
    {
        if (!File.Exists(FilePath))
        {
            return new Contents();
        }

        var contents = JsonSerializer.Deserialize<Contents>(File.ReadAllText(FilePath), _json) ?? new Contents();
        return contents with { Portals = new Dictionary<string, StoredCredential>(contents.Portals, StringComparer.OrdinalIgnoreCase) };
    }

    private void Write(Contents contents)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var temporary = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, contents, _json);
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only to a new file; a leftover temporary file keeps its old mode otherwise.
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }
}
