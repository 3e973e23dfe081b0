using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Portal.Core.Deployments;
using Portal.Core.Logs;

namespace Portal.Runtimes.Kubernetes;

/// <summary>
/// Runs a deployment's replicas as pods of one Kubernetes Deployment (plus a Service and a PodDisruptionBudget) on
/// tenant-exclusive GPU nodes. Starting a replica applies the manifest and scales up by one; stopping one marks that
/// pod cheapest to delete and scales down by one, so the ReplicaSet removes exactly it.
/// </summary>
public sealed class KubernetesRuntime : IReplicaRuntime, IReplicaLogs, IDisposable
{
    public const string RuntimeKind = "kubernetes";

    /// <summary>The ReplicaSet deletes the pod with the lowest cost first when scaling down.</summary>
    public const string PodDeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost";

    private const char SlotSeparator = '#';

    private readonly IKubernetes _client;
    private readonly KubernetesRuntimeOptions _options;

    public KubernetesRuntime(KubernetesRuntimeOptions options)
        : this(new k8s.Kubernetes(CreateConfiguration(options)), options)
    {
    }

    public KubernetesRuntime(IKubernetes client, KubernetesRuntimeOptions options)
    {
        _client = client;
        _options = options;
    }

    public string Kind => RuntimeKind;

    private string Namespace => _options.Namespace;

    /// <summary>Server URL (with an optional token) first, then a kubeconfig file, then in-cluster, then ~/.kube/config.</summary>
    public static KubernetesClientConfiguration CreateConfiguration(KubernetesRuntimeOptions options)
    {
        if (!string.IsNullOrEmpty(options.Server))
        {
            return new KubernetesClientConfiguration
            {
                Host = options.Server,
                AccessToken = options.AccessToken,
                SkipTlsVerify = options.SkipTlsVerify,
            };
        }

        if (!string.IsNullOrEmpty(options.KubeconfigPath))
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(options.KubeconfigPath, options.KubeconfigContext);
        }

        return KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(currentContext: options.KubeconfigContext);
    }

    /// <summary>
    /// Creates the Deployment, Service, PodDisruptionBudget and NetworkPolicy, or replaces them when they exist; first
    /// the Secret with the replica key, which is created once and kept, so pods already running keep a valid key.
    /// </summary>
    public async Task ApplyAsync(ReplicaLaunch launch, int replicas, CancellationToken cancellationToken = default)
    {
        var manifest = KubernetesManifest.Build(launch, replicas, _options);
        if (launch.Deployment.PrivateSources.Count > 0)
        {
            await ApplyWeightSecretAsync(launch, cancellationToken);
        }

        if (Portal.Core.Deployments.ReplicaSecret.EngineChecksKey(launch.Deployment.Engine))
        {
            var apiKey = launch.ApiKey ?? throw new InvalidOperationException(
                $"A {launch.Deployment.Engine} replica on Kubernetes needs its API key: the pods read it from a Secret.");
            try
            {
                await _client.CoreV1.CreateNamespacedSecretAsync(
                    KubernetesManifest.BuildSecret(launch, apiKey, _options), Namespace, cancellationToken: cancellationToken);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // The deployment's key exists already; its pods share it.
            }
        }

        await CreateOrReplaceAsync(
            () => _client.AppsV1.CreateNamespacedDeploymentAsync(manifest.Deployment, Namespace, cancellationToken: cancellationToken),
            async () =>
            {
                var existing = await _client.AppsV1.ReadNamespacedDeploymentAsync(manifest.Name, Namespace, cancellationToken: cancellationToken);
                manifest.Deployment.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
                await _client.AppsV1.ReplaceNamespacedDeploymentAsync(manifest.Deployment, manifest.Name, Namespace, cancellationToken: cancellationToken);
            });
        await CreateOrReplaceAsync(
            () => _client.CoreV1.CreateNamespacedServiceAsync(manifest.Service, Namespace, cancellationToken: cancellationToken),
            async () =>
            {
                // A Service's cluster IP is immutable: carry it over.
                var existing = await _client.CoreV1.ReadNamespacedServiceAsync(manifest.Name, Namespace, cancellationToken: cancellationToken);
                var service = manifest.Service with
                {
                    Metadata = manifest.Service.Metadata with { ResourceVersion = existing.Metadata.ResourceVersion },
                    Spec = manifest.Service.Spec with { ClusterIP = existing.Spec?.ClusterIP, ClusterIPs = existing.Spec?.ClusterIPs },
                };
                await _client.CoreV1.ReplaceNamespacedServiceAsync(service, manifest.Name, Namespace, cancellationToken: cancellationToken);
            });
        await CreateOrReplaceAsync(
            () => _client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(manifest.DisruptionBudget, Namespace, cancellationToken: cancellationToken),
            async () =>
            {
                var existing = await _client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync(manifest.Name, Namespace, cancellationToken: cancellationToken);
                var budget = manifest.DisruptionBudget with
                {
                    Metadata = manifest.DisruptionBudget.Metadata with { ResourceVersion = existing.Metadata.ResourceVersion },
                };
                await _client.PolicyV1.ReplaceNamespacedPodDisruptionBudgetAsync(budget, manifest.Name, Namespace, cancellationToken: cancellationToken);
            });
        await CreateOrReplaceAsync(
            () => _client.NetworkingV1.CreateNamespacedNetworkPolicyAsync(manifest.NetworkPolicy, Namespace, cancellationToken: cancellationToken),
            async () =>
            {
                var existing = await _client.NetworkingV1.ReadNamespacedNetworkPolicyAsync(manifest.Name, Namespace, cancellationToken: cancellationToken);
                var policy = manifest.NetworkPolicy with
                {
                    Metadata = manifest.NetworkPolicy.Metadata with { ResourceVersion = existing.Metadata.ResourceVersion },
                };
                await _client.NetworkingV1.ReplaceNamespacedNetworkPolicyAsync(policy, manifest.Name, Namespace, cancellationToken: cancellationToken);
            });
    }

    /// <summary>
    /// Writes the tenant's current credentials into its Secret before pods that reference it start, so a rotation
    /// reaches every replica started afterwards. Refuses when a credential the weights need is absent.
    /// </summary>
    private async Task ApplyWeightSecretAsync(ReplicaLaunch launch, CancellationToken cancellationToken)
    {
        WeightSources.Environment(launch.Deployment.PrivateCredentialKinds, launch.Credentials);
        var secret = KubernetesManifest.WeightSecret(launch.TenantId, launch.Credentials!, _options);
        var name = secret.Metadata.Name;
        await CreateOrReplaceAsync(
            () => _client.CoreV1.CreateNamespacedSecretAsync(secret, Namespace, cancellationToken: cancellationToken),
            async () =>
            {
                var existing = await _client.CoreV1.ReadNamespacedSecretAsync(name, Namespace, cancellationToken: cancellationToken);
                secret.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
                await _client.CoreV1.ReplaceNamespacedSecretAsync(secret, name, Namespace, cancellationToken: cancellationToken);
            });
    }

    /// <summary>Sets the replica count of an applied deployment (a merge patch of its scale subresource).</summary>
    public async Task ScaleAsync(string objectName, int replicas, CancellationToken cancellationToken = default)
    {
        var patch = new V1Patch(
            $"{{\"spec\":{{\"replicas\":{replicas.ToString(CultureInfo.InvariantCulture)}}}}}", V1Patch.PatchType.MergePatch);
        await _client.AppsV1.PatchNamespacedDeploymentScaleAsync(patch, objectName, Namespace, cancellationToken: cancellationToken);
    }

    public async Task<ReplicaHandle> StartReplicaAsync(ReplicaLaunch launch, CancellationToken cancellationToken = default)
    {
        var name = KubernetesManifest.ObjectName(launch.Deployment.Name, launch.DeploymentId);
        var existing = await ReadOrNullAsync(() => _client.AppsV1.ReadNamespacedDeploymentAsync(name, Namespace, cancellationToken: cancellationToken));
        var slot = (existing?.Spec?.Replicas ?? 0) + 1;
        await ApplyAsync(launch, slot, cancellationToken);
        return new ReplicaHandle
        {
            Runtime = RuntimeKind,
            DeploymentId = launch.DeploymentId,
            ReplicaId = $"{name}{SlotSeparator}{slot.ToString(CultureInfo.InvariantCulture)}",
            StartedAt = DateTimeOffset.UtcNow,
            CommandLine = Portal.Core.Deployments.EngineCommandLine.Render(launch.Deployment, apiKey: launch.ApiKey).ToShellString(),
            ApiKey = launch.ApiKey,
        };
    }

    public async Task<ReplicaStatus> GetStatusAsync(ReplicaHandle handle, CancellationToken cancellationToken = default)
    {
        if (TryParseSlot(handle.ReplicaId, out var objectName, out var slot))
        {
            return await SlotStatusAsync(objectName, slot, cancellationToken);
        }

        var pod = await ReadOrNullAsync(() => _client.CoreV1.ReadNamespacedPodAsync(handle.ReplicaId, Namespace, cancellationToken: cancellationToken));
        return pod is null ? new ReplicaStatus(ReplicaState.NotFound, $"No pod {handle.ReplicaId}.") : PodStatus(pod);
    }

    public async Task StopReplicaAsync(ReplicaHandle handle, CancellationToken cancellationToken = default)
    {
        string? objectName;
        if (TryParseSlot(handle.ReplicaId, out var slotObject, out _))
        {
            objectName = slotObject;
        }
        else
        {
            var pod = await ReadOrNullAsync(() => _client.CoreV1.ReadNamespacedPodAsync(handle.ReplicaId, Namespace, cancellationToken: cancellationToken));
            if (pod is null)
            {
                return;
            }

            var annotate = new V1Patch(
                $"{{\"metadata\":{{\"annotations\":{{\"{PodDeletionCostAnnotation}\":\"-1000\"}}}}}}", V1Patch.PatchType.MergePatch);
            await _client.CoreV1.PatchNamespacedPodAsync(annotate, handle.ReplicaId, Namespace, cancellationToken: cancellationToken);
            objectName = pod.Metadata.Labels?.TryGetValue("app.kubernetes.io/instance", out var instance) == true ? instance : null;
        }

        var deployment = objectName is null ? null
            : await ReadOrNullAsync(() => _client.AppsV1.ReadNamespacedDeploymentAsync(objectName, Namespace, cancellationToken: cancellationToken));
        if (deployment is not null)
        {
            await ScaleAsync(deployment.Metadata.Name, Math.Max((deployment.Spec?.Replicas ?? 0) - 1, 0), cancellationToken);
        }
    }

    public async Task<IReadOnlyList<ReplicaHandle>> ListReplicasAsync(Guid deploymentId, CancellationToken cancellationToken = default)
    {
        var pods = await _client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: Selector(deploymentId), cancellationToken: cancellationToken);
        return pods.Items
            .Where(p => p.Metadata.DeletionTimestamp is null)
            .OrderBy(p => p.Metadata.CreationTimestamp)
            .ThenBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .Select(p => new ReplicaHandle
            {
                Runtime = RuntimeKind,
                DeploymentId = deploymentId,
                ReplicaId = p.Metadata.Name,
                StartedAt = p.Status?.StartTime is { } started ? new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc)) : null,
            })
            .ToList();
    }

    public async Task RemoveDeploymentAsync(Guid deploymentId, CancellationToken cancellationToken = default)
    {
        var deployments = await _client.AppsV1.ListNamespacedDeploymentAsync(Namespace, labelSelector: Selector(deploymentId), cancellationToken: cancellationToken);
        foreach (var name in deployments.Items.Select(d => d.Metadata.Name))
        {
            await IgnoreNotFoundAsync(() => _client.AppsV1.DeleteNamespacedDeploymentAsync(name, Namespace, cancellationToken: cancellationToken));
            await IgnoreNotFoundAsync(() => _client.CoreV1.DeleteNamespacedServiceAsync(name, Namespace, cancellationToken: cancellationToken));
            await IgnoreNotFoundAsync(() => _client.PolicyV1.DeleteNamespacedPodDisruptionBudgetAsync(name, Namespace, cancellationToken: cancellationToken));
            await IgnoreNotFoundAsync(() => _client.NetworkingV1.DeleteNamespacedNetworkPolicyAsync(name, Namespace, cancellationToken: cancellationToken));
            await IgnoreNotFoundAsync(() => _client.CoreV1.DeleteNamespacedSecretAsync(KubernetesManifest.SecretName(name), Namespace, cancellationToken: cancellationToken));
        }
    }

    public Task<IReadOnlyList<LogLine>?> ReadAsync(Guid deploymentId, string replicaId, DateTimeOffset? since, CancellationToken cancellationToken = default) =>
        TryParseSlot(replicaId, out _, out _)
            ? Task.FromResult<IReadOnlyList<LogLine>?>(null)
            : new PodLogs(_client, Namespace).ReadAsync(deploymentId, replicaId, since, DateTimeOffset.UtcNow, cancellationToken);

    public IAsyncEnumerable<LogLine> FollowAsync(Guid deploymentId, string replicaId, CancellationToken cancellationToken = default) =>
        TryParseSlot(replicaId, out _, out _)
            ? AsyncEnumerable.Empty<LogLine>()
            : new PodLogs(_client, Namespace).FollowAsync(deploymentId, replicaId, cancellationToken);

    public void Dispose() => _client.Dispose();

    /// <summary>Replica <paramref name="slot"/> of a deployment is ready once that many pods are ready.</summary>
    private async Task<ReplicaStatus> SlotStatusAsync(string objectName, int slot, CancellationToken cancellationToken)
    {
        var deployment = await ReadOrNullAsync(() => _client.AppsV1.ReadNamespacedDeploymentAsync(objectName, Namespace, cancellationToken: cancellationToken));
        if (deployment is null || (deployment.Spec?.Replicas ?? 0) < slot)
        {
            return new ReplicaStatus(ReplicaState.NotFound, $"Deployment {objectName} has no replica {slot}.");
        }

        if ((deployment.Status?.ReadyReplicas ?? 0) >= slot)
        {
            return new ReplicaStatus(ReplicaState.Ready);
        }

        var selector = string.Join(",", deployment.Spec!.Selector.MatchLabels.Select(l => $"{l.Key}={l.Value}"));
        var pods = await _client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: selector, cancellationToken: cancellationToken);
        var states = pods.Items.Select(PodStatus).ToList();
        return states.FirstOrDefault(s => s.State == ReplicaState.Failed)
            ?? states.FirstOrDefault(s => s.State == ReplicaState.LoadingWeights)
            ?? new ReplicaStatus(ReplicaState.Starting, "Waiting for a pod to be scheduled and its image pulled.");
    }

    private static ReplicaStatus PodStatus(V1Pod pod)
    {
        var status = pod.Status;
        if (status?.Phase is "Failed" or "Succeeded")
        {
            return new ReplicaStatus(ReplicaState.Failed, $"Pod {pod.Metadata.Name} is {status.Phase}: {status.Reason ?? status.Message}.");
        }

        var waiting = status?.ContainerStatuses?.Select(c => c.State?.Waiting).FirstOrDefault(w => w is not null);
        if (waiting?.Reason is "CrashLoopBackOff" or "ErrImagePull" or "ImagePullBackOff" or "CreateContainerConfigError" or "InvalidImageName")
        {
            return new ReplicaStatus(ReplicaState.Failed, $"Pod {pod.Metadata.Name}: {waiting.Reason} {waiting.Message}".TrimEnd());
        }

        if (status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
        {
            return new ReplicaStatus(ReplicaState.Ready);
        }

        return status?.Phase == "Running"
            ? new ReplicaStatus(ReplicaState.LoadingWeights, $"Pod {pod.Metadata.Name} runs; its startup probe waits for /health.")
            : new ReplicaStatus(ReplicaState.Starting, $"Pod {pod.Metadata.Name} is {status?.Phase ?? "Pending"}.");
    }

    private static string Selector(Guid deploymentId) => $"{KubernetesManifest.DeploymentLabel}={deploymentId}";

    private static bool TryParseSlot(string replicaId, out string objectName, out int slot)
    {
        var separator = replicaId.LastIndexOf(SlotSeparator);
        objectName = separator > 0 ? replicaId[..separator] : replicaId;
        slot = 0;
        return separator > 0 && int.TryParse(replicaId[(separator + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out slot);
    }

    private static async Task CreateOrReplaceAsync<T>(Func<Task<T>> create, Func<Task> replace)
    {
        try
        {
            await create();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            await replace();
        }
    }

    private static async Task<T?> ReadOrNullAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static async Task IgnoreNotFoundAsync<T>(Func<Task<T>> delete)
    {
        try
        {
            await delete();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }
    }
}
