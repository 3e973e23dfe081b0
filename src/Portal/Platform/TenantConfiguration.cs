using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Cost;
using Portal.Core.Deployments;
using Portal.Core.Gateway;
using Portal.Core.Keys;
using Portal.Core.Residency;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Inference;
using Portal.Notifications;

namespace Portal.Platform;

/// <summary>
/// A tenant's configuration as its <c>configuration.json</c> export holds it. Built from explicit projections so that no
/// secret can slip in with a new column: keys without their hash, webhooks without their secret, serverless targets
/// without their API key, weight credentials left out, chat channels' webhook URLs only masked.
/// </summary>
public sealed record TenantConfiguration(
    TenantView Tenant,
    bool RequireTwoFactor,
    TenantConfiguration.QuotaPart? Quotas,
    IReadOnlyList<string>? AllowedRegions,
    IReadOnlyList<TenantConfiguration.MemberPart> Members,
    IReadOnlyList<TenantConfiguration.DeploymentPart> Deployments,
    IReadOnlyList<TenantConfiguration.EndpointPart> Endpoints,
    IReadOnlyList<TenantConfiguration.PipelinePart> Pipelines,
    IReadOnlyList<TenantConfiguration.WebhookPart> Webhooks,
    IReadOnlyList<TenantConfiguration.KeyPart> Keys,
    IReadOnlyList<TenantConfiguration.BudgetPart> Budgets,
    IReadOnlyList<NotificationChannelView> NotificationChannels,
    NotificationSettingsView? NotificationSettings)
{
    public sealed record QuotaPart(int? GpusInUse, int? ReplicasPerDeployment, int? Deployments, int? Endpoints, int? ApiKeys, int? Webhooks, int? Pipelines);

    public sealed record MemberPart(Guid UserId, string Email, string Name, TenantRole Role, bool Disabled, DateTimeOffset JoinedAt);

    public sealed record DeploymentPart(
        Guid Id, string Name, DeploymentStatus Status, string Region, int BaselineReplicas, int MaxReplicas, DateTimeOffset CreatedAt, string CreatedBy,
        JsonElement Spec);

    public sealed record TargetPart(Guid Id, string Name, TargetKind Kind, Guid? DeploymentId, string? BaseUrl, string? UpstreamModel, string? Region,
        decimal InputPricePerMillion, decimal OutputPricePerMillion, bool TtftProbes, double? IdleGapSeconds);

    /// <summary>An endpoint's TTFT objective, e.g. p99 ≤ 800 ms over 30 days.</summary>
    public sealed record ObjectivePart(int ThresholdMs, int Percentile, int WindowDays, DateTimeOffset UpdatedAt, string UpdatedBy);

    public sealed record EndpointPart(
        Guid Id, string Name, TargetPart? Primary, TargetPart? Shadow, double ShadowShare, IReadOnlyList<string>? RegionLock, DateTimeOffset CreatedAt,
        EndpointRequirements Requirements, ObjectivePart? LatencyObjective);

    public sealed record StagePart(int Position, string Name, Guid EndpointId, bool OnCriticalPath, int? EstimatedColdStartMs);

    public sealed record PipelinePart(Guid Id, string Name, int BudgetMs, IReadOnlyList<StagePart> Stages);

    public sealed record WebhookPart(Guid Id, string Url, DateTimeOffset CreatedAt, string CreatedBy);

    public sealed record KeyPart(
        Guid Id, string Name, string Prefix, InferenceKeyScopes Scopes, int? RequestsPerMinute, int? MaxConcurrentRequests,
        DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

    /// <summary>A monthly budget: the tenant's (no endpoint) or one endpoint's, with the percentages it alerts at.</summary>
    public sealed record BudgetPart(
        Guid Id, Guid? EndpointId, string Scope, decimal MonthlyUsd, IReadOnlyList<int> AlertPercentages, DateTimeOffset UpdatedAt, string UpdatedBy);

    public static async Task<TenantConfiguration> ReadAsync(PortalDbContext db, TenantView tenant, CancellationToken ct)
    {
        var id = tenant.Id;
        var requireTwoFactor = await db.Tenants.Where(t => t.Id == id).Select(t => t.RequireTwoFactor).SingleAsync(ct);
        var quotas = await db.TenantQuotas.AsNoTracking().Where(q => q.TenantId == id)
            .Select(q => new QuotaPart(q.GpusInUse, q.ReplicasPerDeployment, q.Deployments, q.Endpoints, q.ApiKeys, q.Webhooks, q.Pipelines))
            .SingleOrDefaultAsync(ct);
        var members = await db.Memberships.AsNoTracking().Where(m => m.TenantId == id)
            .Select(m => new MemberPart(m.UserId, m.User!.Email ?? "", m.User.DisplayName, m.Role, m.Disabled, m.CreatedAt))
            .ToListAsync(ct);
        var deployments = (await db.Deployments.AsNoTracking().Where(d => d.TenantId == id).ToListAsync(ct))
            .OrderBy(d => d.CreatedAt)
            .Select(d => new DeploymentPart(d.Id, d.Name, d.Status, d.Region, d.BaselineReplicas, d.MaxReplicas, d.CreatedAt, d.CreatedBy,
                JsonDocument.Parse(d.SpecJson).RootElement.Clone()))
            .ToList();
        var targets = await db.Targets.AsNoTracking().Where(t => t.TenantId == id)
            .Select(t => new TargetPart(t.Id, t.Name, t.Kind, t.DeploymentId, t.BaseUrl, t.UpstreamModel, t.Region, t.InputPricePerMillion, t.OutputPricePerMillion,
                t.TtftProbeOptIn, t.IdleGapSeconds))
            .ToDictionaryAsync(t => t.Id, ct);
        var objectives = await db.LatencyObjectives.AsNoTracking().Where(o => o.TenantId == id)
            .ToDictionaryAsync(o => o.EndpointId, o => new ObjectivePart(o.ThresholdMs, o.Percentile, o.WindowDays, o.UpdatedAt, o.UpdatedBy), ct);
        var locks = await db.EndpointRegionLocks.AsNoTracking().Where(l => l.TenantId == id).ToDictionaryAsync(l => l.EndpointId, l => l.Regions, ct);
        var endpoints = (await db.Endpoints.AsNoTracking().Where(e => e.TenantId == id).OrderBy(e => e.Name).ToListAsync(ct))
            .Select(e => new EndpointPart(e.Id, e.Name, targets.GetValueOrDefault(e.PrimaryTargetId),
                e.SecondaryTargetId is { } shadow ? targets.GetValueOrDefault(shadow) : null, e.ShadowShare,
                locks.TryGetValue(e.Id, out var regions) ? ResidencyRule.Parse(regions)?.Order().ToList() : null, e.CreatedAt,
                EndpointService.Requirements(e), objectives.GetValueOrDefault(e.Id)))
            .ToList();
        var pipelines = await db.Pipelines.AsNoTracking().Where(p => p.TenantId == id).OrderBy(p => p.Name)
            .Select(p => new PipelinePart(p.Id, p.Name, p.BudgetMs, p.Stages.OrderBy(s => s.Position)
                .Select(s => new StagePart(s.Position, s.Name, s.EndpointId, s.OnCriticalPath, s.EstimatedColdStartMs)).ToList()))
            .ToListAsync(ct);
        var webhooks = await db.Webhooks.AsNoTracking().Where(w => w.TenantId == id)
            .Select(w => new WebhookPart(w.Id, w.Url, w.CreatedAt, w.CreatedBy)).ToListAsync(ct);
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.TenantId == id)
            .Select(k => new KeyPart(k.Id, k.Name, k.Prefix, k.Scopes, k.RequestsPerMinute, k.MaxConcurrentRequests, k.CreatedAt, k.CreatedBy,
                k.ExpiresAt, k.RevokedAt, k.LastUsedAt))
            .ToListAsync(ct);
        var names = endpoints.ToDictionary(e => e.Id, e => e.Name);
        var budgets = (await db.Budgets.AsNoTracking().Where(b => b.TenantId == id).ToListAsync(ct))
            .OrderBy(b => b.EndpointId is null ? 0 : 1).ThenBy(b => b.UpdatedAt)
            .Select(b => new BudgetPart(b.Id, b.EndpointId, b.EndpointId is { } e ? names.GetValueOrDefault(e, e.ToString()) : "tenant", b.MonthlyUsd,
                BudgetRule.Parse(b.AlertPercentages), b.UpdatedAt, b.UpdatedBy))
            .ToList();
        // The view shows a chat URL only as its hint: the stored URL is a bearer secret and stays encrypted here.
        var channels = (await db.NotificationChannels.AsNoTracking().Where(c => c.TenantId == id).OrderBy(c => c.CreatedAt).ToListAsync(ct))
            .Select(NotificationChannelView.From).ToList();
        var settings = await db.NotificationSettings.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == id, ct);
        return new TenantConfiguration(tenant, requireTwoFactor, quotas, tenant.AllowedRegions, members.OrderBy(m => m.JoinedAt).ToList(), deployments, endpoints, pipelines,
            webhooks.OrderBy(w => w.CreatedAt).ToList(), keys.OrderBy(k => k.CreatedAt).ToList(), budgets, channels,
            settings is null ? null : NotificationSettingsView.From(settings));
    }
}
