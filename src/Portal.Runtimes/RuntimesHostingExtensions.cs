using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Runtimes.Kubernetes;
using Portal.Runtimes.Local;

namespace Portal.Runtimes;

public static class RuntimesHostingExtensions
{
    /// <summary>Which runtime replicas run on: <c>Runtimes:Kind</c> = <c>Local</c> (default) or <c>Kubernetes</c>.</summary>
    public const string KindKey = "Runtimes:Kind";

    /// <summary>Registers the configured <see cref="IReplicaRuntime"/> (and its <see cref="IReplicaLogs"/>) as a singleton with its options.</summary>
    public static IHostApplicationBuilder AddReplicaRuntimes(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<LocalRuntimeOptions>(builder.Configuration.GetSection(LocalRuntimeOptions.SectionName));
        builder.Services.Configure<KubernetesRuntimeOptions>(builder.Configuration.GetSection(KubernetesRuntimeOptions.SectionName));
        var kind = builder.Configuration[KindKey] ?? "Local";
        if (kind.Equals("Kubernetes", StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.AddSingleton<IReplicaRuntime>(sp =>
                new KubernetesRuntime(sp.GetRequiredService<IOptions<KubernetesRuntimeOptions>>().Value));
        }
        else if (kind.Equals("Local", StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.AddSingleton<IReplicaRuntime>(sp => new LocalProcessRuntime(
                sp.GetRequiredService<IOptions<LocalRuntimeOptions>>().Value,
                sp.GetRequiredService<ILogger<LocalProcessRuntime>>()));
        }
        else
        {
            throw new InvalidOperationException($"{KindKey} is '{kind}'; use Local or Kubernetes.");
        }

        // Both runtimes read their replicas' logs.
        builder.Services.AddSingleton<IReplicaLogs>(sp => (IReplicaLogs)sp.GetRequiredService<IReplicaRuntime>());
        return builder;
    }
}
