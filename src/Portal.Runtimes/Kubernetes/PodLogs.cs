using System.Globalization;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;
using Portal.Core.Logs;

namespace Portal.Runtimes.Kubernetes;

/// <summary>
/// A replica pod's log through the pods/log API, with the kubelet's timestamps (<c>timestamps=true</c>): a range starts
/// at <c>sinceSeconds</c> (the client has no <c>sinceTime</c>), a read without a start takes the last
/// <see cref="TailLines"/> lines, and either reads at most <see cref="IReplicaLogs.MaxReadBytes"/>;
/// and following keeps one <c>follow=true</c> stream open. Only pods that carry the deployment's label are read, so a
/// pod name from another deployment answers as unknown.
/// </summary>
internal sealed class PodLogs(IKubernetes client, string @namespace)
{
    public const string Container = "engine";

    /// <summary>Lines a read without a start asks for: as many as one query may return.</summary>
    public const int TailLines = Core.Logs.LogQuery.MaxLimit;

    public async Task<IReadOnlyList<LogLine>?> ReadAsync(Guid deploymentId, string podName, DateTimeOffset? since, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await BelongsAsync(deploymentId, podName, cancellationToken))
        {
            return null;
        }

        int? sinceSeconds = since is { } from ? (int)Math.Clamp(Math.Ceiling((now - from).TotalSeconds), 1, int.MaxValue) : null;
        // From a start the API reads forward (the first 8 MiB after it); without one, the newest lines.
        await using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(podName, @namespace, container: Container,
            limitBytes: IReplicaLogs.MaxReadBytes, sinceSeconds: sinceSeconds, tailLines: sinceSeconds is null ? TailLines : null,
            timestamps: true, cancellationToken: cancellationToken);
        using var reader = new StreamReader(stream);
        var lines = new List<LogLine>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lines.Add(Parse(line));
        }

        return lines;
    }

    public async IAsyncEnumerable<LogLine> FollowAsync(Guid deploymentId, string podName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!await BelongsAsync(deploymentId, podName, cancellationToken))
        {
            yield break;
        }

        await using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(podName, @namespace, container: Container,
            follow: true, tailLines: 0, timestamps: true, cancellationToken: cancellationToken);
        using var reader = new StreamReader(stream);
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            if (line is null)
            {
                yield break;
            }

            yield return Parse(line);
        }
    }

    /// <summary>Splits the kubelet's RFC 3339 stamp (nanoseconds, which .NET does not parse) from the engine's line.</summary>
    internal static LogLine Parse(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return new LogLine(null, line);
        }

        var stamp = line[..space];
        var dot = stamp.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && stamp.EndsWith('Z'))
        {
            var fraction = stamp[(dot + 1)..^1];
            stamp = stamp[..dot] + "." + (fraction.Length > 7 ? fraction[..7] : fraction) + "Z";
        }

        return DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var time)
            ? new LogLine(time, line[(space + 1)..])
            : new LogLine(null, line);
    }

    private async Task<bool> BelongsAsync(Guid deploymentId, string podName, CancellationToken cancellationToken)
    {
        try
        {
            var pod = await client.CoreV1.ReadNamespacedPodAsync(podName, @namespace, cancellationToken: cancellationToken);
            return pod.Metadata.Labels?.TryGetValue(KubernetesManifest.DeploymentLabel, out var owner) == true
                && owner == deploymentId.ToString();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
