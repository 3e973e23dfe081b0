using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Hosting;

namespace Portal.Platform;

/// <summary>
/// The way in on a portal nobody runs yet: at each start, while no platform operator exists, a fresh one-time setup
/// token replaces any earlier one and the log prints its link; opening it creates the first operator
/// (<see cref="OperatorSetup"/>). Once an operator exists, leftover tokens are removed and nothing is printed.
/// </summary>
public sealed class FirstStart(
    IDbContextFactory<PortalDbContext> dbFactory, IServer server, IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<FirstStart> logger)
    : BackgroundService
{
    /// <summary>How soon a start that could not reach the database tries again.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The link names the address the server listens on, known only once it has started.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            await started.Task;
        }

        while (true)
        {
            try
            {
                await IssueAsync(stoppingToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not check whether a platform operator exists; trying again in {Seconds} s.", RetryInterval.TotalSeconds);
            }

            await Task.Delay(RetryInterval, clock, stoppingToken);
        }
    }

    private async Task IssueAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Users.AnyAsync(u => u.IsOperator, ct))
        {
            await db.PlatformSetupTokens.ExecuteDeleteAsync(ct);
            return;
        }

        var token = SetupToken.Generate();
        var now = clock.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            await db.PlatformSetupTokens.ExecuteDeleteAsync(ct);
            db.PlatformSetupTokens.Add(new PlatformSetupToken { TokenHash = token.Hash, CreatedAt = now, ExpiresAt = now + SetupToken.Lifetime });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        logger.LogWarning(
            "No platform operator exists yet. Create the first one at {SetupLink} (a one-time link, valid for {Minutes} minutes; each start issues a new one until it is used).",
            SetupToken.Link(ListeningAddress(), token.Plaintext), (int)SetupToken.Lifetime.TotalMinutes);
    }

    /// <summary>The first address the server listens on, an https one when there is one.</summary>
    private string ListeningAddress()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            ?? addresses.FirstOrDefault()
            ?? ListenAddress.Default;
    }
}
