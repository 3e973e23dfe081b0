using Hangfire;
using Microsoft.Extensions.Options;
using Portal.Core.Audit;
using Portal.Hosting;

namespace Portal.Audit;

/// <summary>The daily retention tick: archives what <c>Audit:RetentionDays</c> says is due, one instance at a time.</summary>
public sealed class AuditArchiveJob(AuditArchiver archiver, JobStorage jobStorage, IOptions<AuditOptions> options, TimeProvider clock)
{
    public const string RecurringId = "audit-archive";

    [AutomaticRetry(Attempts = 0)]
    public Task RunAsync(CancellationToken cancellationToken) =>
        OneInstanceAtATime.RunAsync(jobStorage, "audit:archive", async () =>
        {
            if (AuditRetention.CutoffAt(options.Value.RetentionDays, clock.GetUtcNow()) is { } cutoff)
            {
                await archiver.ArchiveAsync(cutoff, cancellationToken);
            }
        });
}
