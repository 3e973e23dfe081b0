using System.Text.Json;

namespace Portal.Runtimes.Local;

/// <summary>The state file of one local replica: enough to find it again and to prove the pid is still that process.</summary>
internal sealed record ReplicaRecord
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public required string ReplicaId { get; init; }

    public required Guid DeploymentId { get; init; }

    public required Guid TenantId { get; init; }

    public required int ProcessId { get; init; }

    /// <summary>The process's start time as the OS reports it; a reused pid has a different one.</summary>
    public required DateTimeOffset ProcessStartedAt { get; init; }

    public required int Port { get; init; }

    public required string ServedModelName { get; init; }

    public required string Executable { get; init; }

    public required IReadOnlyList<string> Arguments { get; init; }

    public required string CommandLine { get; init; }

    public required string LogPath { get; init; }

    public required bool UsesSimulator { get; init; }

    public string? Note { get; init; }

    /// <summary>The host GPUs this replica holds; null when GPUs are not assigned.</summary>
    public IReadOnlyList<int>? GpuDevices { get; init; }

    public static string DirectoryFor(string root, Guid deploymentId) => Path.Combine(root, deploymentId.ToString("N"));

    public static string PathFor(string root, Guid deploymentId, string replicaId) =>
        Path.Combine(DirectoryFor(root, deploymentId), replicaId + ".json");

    public static ReplicaRecord? TryRead(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ReplicaRecord>(File.ReadAllText(path), _json);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes through a temporary file so a crash never leaves half a record.</summary>
    public void Write(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, _json));
        File.Move(temporary, path, overwrite: true);
    }
}
