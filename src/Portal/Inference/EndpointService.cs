using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Gateway;
using Portal.Core.Quotas;
using Portal.Core.Signals;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Gateway.Outbound;
using Portal.Identity;
using Portal.Quotas;
using Portal.Tenancy;

namespace Portal.Inference;

public sealed record TargetView(Guid Id, string Name, string Kind, Guid? DeploymentId, string? BaseUrl, string? UpstreamModel, string? Region,
    decimal InputPricePerMillion, decimal OutputPricePerMillion, bool HasApiKey);

/// <summary>What the customer states on an endpoint that only dedicated can give (signal 4 of the migration signals).</summary>
/// <param name="Quantization">fp8, awq, gptq or fp4; null when any will do.</param>
/// <param name="Residency">A jurisdiction: US, EU, JP, SG or TW; null when none.</param>
/// <param name="ConcurrencyFloor">Concurrent requests the endpoint must accept, 1 to 100,000; null when none.</param>
public sealed record EndpointRequirements(bool CustomWeights, string? Quantization, string? Residency, int? ConcurrencyFloor);

public sealed record EndpointView(Guid Id, string Name, TargetView Primary, TargetView? Secondary, double ShadowShare, DateTimeOffset CreatedAt,
    EndpointRequirements Requirements);

/// <summary>An external OpenAI-compatible service as a target; its API key is stored encrypted and never shown again.</summary>
public sealed record ServerlessTargetRequest(string BaseUrl, string UpstreamModel, string? ApiKey, string? Region,
    decimal InputPricePerMillion, decimal OutputPricePerMillion);

public sealed record CreateServerlessEndpointRequest(string Name, ServerlessTargetRequest Target);

public sealed record ShadowRequest(double Share, Guid? SecondaryTargetId, ServerlessTargetRequest? Serverless);

/// <summary>Endpoints and their targets: serverless registration, shadow share and flip. Each change is audited.</summary>
public sealed class EndpointService(
    IDbContextFactory<PortalDbContext> dbFactory,
    TenantChangeRunner changes,
    IDataProtectionProvider protection,
    GatewaySnapshot snapshot,
    QuotaService quotas,
    OutboundGuard outbound,
    TimeProvider clock)
{
    public const double MaxShadowShare = 0.5;

    private static readonly ChangePermission Permission = new(AccessPolicy.CanChange, "Changing endpoints is for TenantAdmin and Developer");

    public async Task<ServiceResult<IReadOnlyList<EndpointView>>> ListAsync(Caller caller, Guid tenantId, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is null)
        {
            return ServiceResult<IReadOnlyList<EndpointView>>.NotFound("No such tenant.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var endpoints = await Query(db).Where(e => e.TenantId == tenantId).OrderBy(e => e.Name).ToListAsync(ct);
        return ServiceResult<IReadOnlyList<EndpointView>>.Ok(endpoints.Select(ToView).ToList());
    }

    public async Task<ServiceResult<EndpointView>> GetAsync(Caller caller, Guid tenantId, Guid id, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is null)
        {
            return ServiceResult<EndpointView>.NotFound("No such endpoint.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var endpoint = await Query(db).SingleOrDefaultAsync(e => e.Id == id && e.TenantId == tenantId, ct);
        return endpoint is null ? ServiceResult<EndpointView>.NotFound("No such endpoint.") : ServiceResult<EndpointView>.Ok(ToView(endpoint));
    }

    public Task<ServiceResult<EndpointView>> CreateServerlessAsync(Caller caller, Guid tenantId, CreateServerlessEndpointRequest request, CancellationToken ct = default) =>
        changes.RunAsync(Change(caller, tenantId, "endpoint.create", request.Name), async db =>
        {
            if (await quotas.CheckCountAsync(caller, tenantId, QuotaKind.Endpoints, nameof(request.Name), "endpoint.create", "endpoint", request.Name, ct) is { } overQuota)
            {
                return ServiceResult<EndpointView>.Invalid(overQuota);
            }

            var name = request.Name?.Trim() ?? "";
            var errors = await ValidateServerlessAsync(request.Target, ct);
            if (name.Length is 0 or > 200)
            {
                errors["Name"] = ["Name the endpoint (1 to 200 characters): programs send it as the model."];
            }
            else if (await db.Endpoints.AnyAsync(e => e.TenantId == tenantId && e.Name == name, ct))
            {
                errors["Name"] = [$"The name {name} is already in use."];
            }

            if (errors.Count > 0)
            {
                return ServiceResult<EndpointView>.Invalid(errors);
            }

            var target = NewServerlessTarget(tenantId, name, request.Target!);
            var endpoint = new InferenceEndpoint { TenantId = tenantId, Name = name, PrimaryTargetId = target.Id, CreatedAt = clock.GetUtcNow() };
            db.Targets.Add(target);
            db.Endpoints.Add(endpoint);
            return ChangeOutcome.Save(
                new ChangeRecord("endpoint.created", new { name = endpoint.Name, kind = "Serverless", baseUrl = target.BaseUrl, upstreamModel = target.UpstreamModel })
                {
                    ResourceId = endpoint.Id.ToString(),
                },
                RefreshThenGet(caller, tenantId, endpoint.Id, ct)) with
            {
                // Another request took the name between the check and the save.
                WhenSaveFails = e => DatabaseErrors.IsUniqueViolation(e) ? ServiceResult<EndpointView>.Conflict($"The name {name} is already in use.") : null,
            };
        }, ct);

    /// <summary>Copies a share (0–50 %) of requests to the secondary target: an existing one, or a serverless one registered here.</summary>
    public Task<ServiceResult<EndpointView>> SetShadowAsync(Caller caller, Guid tenantId, Guid id, ShadowRequest request, CancellationToken ct = default)
    {
        var change = Change(caller, tenantId, "endpoint.shadow", id.ToString()) with
        {
            InputErrors = request.Share is < 0 or > MaxShadowShare || double.IsNaN(request.Share)
                ? new Dictionary<string, string[]> { ["Share"] = [$"The shadow share is between 0 and {MaxShadowShare:P0}."] }
                : null,
        };
        return changes.RunAsync(change, endpoints => endpoints.Where(e => e.Id == id), "No such endpoint.",
            async (InferenceEndpoint endpoint, PortalDbContext db) =>
            {
                var before = new { share = endpoint.ShadowShare, secondary = endpoint.SecondaryTargetId };
                if (request.Serverless is { } serverless)
                {
                    var errors = await ValidateServerlessAsync(serverless, ct);
                    if (errors.Count > 0)
                    {
                        return ServiceResult<EndpointView>.Invalid(errors);
                    }

                    var target = NewServerlessTarget(tenantId, endpoint.Name, serverless);
                    db.Targets.Add(target);
                    endpoint.SecondaryTargetId = target.Id;
                }
                else if (request.SecondaryTargetId is { } targetId)
                {
                    if (targetId == endpoint.PrimaryTargetId || !await db.Targets.AnyAsync(t => t.Id == targetId && t.TenantId == tenantId, ct))
                    {
                        return ServiceResult<EndpointView>.Invalid("SecondaryTargetId", "Choose another target of this tenant than the primary.");
                    }

                    endpoint.SecondaryTargetId = targetId;
                }

                if (endpoint.SecondaryTargetId is null && request.Share > 0)
                {
                    return ServiceResult<EndpointView>.Invalid("SecondaryTargetId", "Name the target to shadow to first.");
                }

                endpoint.ShadowShare = request.Share;
                endpoint.ConcurrencyStamp = Guid.NewGuid();
                return ChangeOutcome.Save(
                    new ChangeRecord("endpoint.shadow_set",
                        new { name = endpoint.Name, before, after = new { share = endpoint.ShadowShare, secondary = endpoint.SecondaryTargetId } }),
                    RefreshThenGet(caller, tenantId, id, ct));
            }, ct);
    }

    /// <summary>
    /// Swaps primary and secondary in one update (the concurrency stamp refuses a racing flip); flipping again rolls back.
    /// Programs keep their base URL and model name: only where requests go changes.
    /// </summary>
    public Task<ServiceResult<EndpointView>> FlipAsync(Caller caller, Guid tenantId, Guid id, CancellationToken ct = default) =>
        changes.RunAsync(Change(caller, tenantId, "endpoint.flip", id.ToString()), endpoints => endpoints.Where(e => e.Id == id), "No such endpoint.",
            (InferenceEndpoint endpoint, PortalDbContext _) =>
            {
                if (endpoint.SecondaryTargetId is not { } secondary)
                {
                    return ServiceResult<EndpointView>.Invalid("SecondaryTargetId", "There is no secondary target to flip to; set a shadow target first.");
                }

                var before = new { primary = endpoint.PrimaryTargetId, secondary };
                (endpoint.PrimaryTargetId, endpoint.SecondaryTargetId) = (secondary, endpoint.PrimaryTargetId);
                endpoint.ConcurrencyStamp = Guid.NewGuid();
                return ChangeOutcome.Save(
                    new ChangeRecord("endpoint.flipped",
                        new { name = endpoint.Name, before, after = new { primary = endpoint.PrimaryTargetId, secondary = endpoint.SecondaryTargetId } }),
                    RefreshThenGet(caller, tenantId, id, ct)) with
                {
                    WhenSaveFails = e => e is DbUpdateConcurrencyException
                        ? ServiceResult<EndpointView>.Conflict("The endpoint changed meanwhile; reload and try again.")
                        : null,
                };
            }, ct);

    /// <summary>
    /// Replaces what the customer states the endpoint needs (custom weights, a quantization, residency, a concurrency
    /// floor); audited with before and after. The migration signals read it as a hard requirement.
    /// </summary>
    public Task<ServiceResult<EndpointView>> SetRequirementsAsync(Caller caller, Guid tenantId, Guid id, EndpointRequirements request, CancellationToken ct = default)
    {
        var stated = new StatedRequirements(request.CustomWeights, request.Quantization, request.Residency, request.ConcurrencyFloor);
        var change = Change(caller, tenantId, "endpoint.requirements", id.ToString()) with
        {
            InputErrors = stated.Check() is { Count: > 0 } errors ? errors : null,
        };
        stated = stated.Normalised();
        return changes.RunAsync(change, endpoints => endpoints.Where(e => e.Id == id), "No such endpoint.",
            (InferenceEndpoint endpoint, PortalDbContext _) =>
            {
                var before = Requirements(endpoint);
                endpoint.RequiresCustomWeights = stated.CustomWeights;
                endpoint.RequiredQuantization = stated.Quantization;
                endpoint.RequiredResidency = stated.Residency;
                endpoint.ConcurrencyFloor = stated.ConcurrencyFloor;
                endpoint.ConcurrencyStamp = Guid.NewGuid();
                return ChangeOutcome.Save(
                    new ChangeRecord("endpoint.requirements_set", new { name = endpoint.Name, before, after = Requirements(endpoint) }),
                    () => GetAsync(caller, tenantId, id, ct)) with
                {
                    WhenSaveFails = e => e is DbUpdateConcurrencyException
                        ? ServiceResult<EndpointView>.Conflict("The endpoint changed meanwhile; reload and try again.")
                        : null,
                };
            }, ct);
    }

    /// <summary>The gateway routes from a snapshot: it learns of a changed endpoint once the change is committed.</summary>
    private Func<Task<ServiceResult<EndpointView>>> RefreshThenGet(Caller caller, Guid tenantId, Guid id, CancellationToken ct) => async () =>
    {
        await snapshot.RefreshAsync(ct);
        return await GetAsync(caller, tenantId, id, ct);
    };

    private Target NewServerlessTarget(Guid tenantId, string endpointName, ServerlessTargetRequest request) => new()
    {
        TenantId = tenantId,
        Name = $"{endpointName[..Math.Min(endpointName.Length, 187)]} (serverless)",
        Kind = TargetKind.Serverless,
        BaseUrl = request.BaseUrl.Trim(),
        UpstreamModel = request.UpstreamModel.Trim(),
        ProtectedApiKey = string.IsNullOrEmpty(request.ApiKey) ? null : protection.CreateProtector(ServerlessKeyProtection.Purpose).Protect(request.ApiKey),
        Region = request.Region,
        InputPricePerMillion = request.InputPricePerMillion,
        OutputPricePerMillion = request.OutputPricePerMillion,
        CreatedAt = clock.GetUtcNow(),
    };

    private async Task<Dictionary<string, string[]>> ValidateServerlessAsync(ServerlessTargetRequest? request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request is null)
        {
            errors["Target"] = ["Give the serverless target: its baseUrl and upstreamModel (apiKey, region and prices are optional)."];
            return errors;
        }

        if (request.BaseUrl?.Trim() is not { Length: <= 400 } || !Uri.TryCreate(request.BaseUrl.Trim(), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https"))
        {
            errors["BaseUrl"] = ["Give the provider's OpenAI-compatible base URL, e.g. https://api.example.com/v1/."];
        }
        else if (await outbound.CheckAsync(uri, ct) is { } refused)
        {
            errors["BaseUrl"] = [OutboundGuard.Explain(refused)];
        }

        if (string.IsNullOrWhiteSpace(request.UpstreamModel) || request.UpstreamModel.Trim().Length > 200)
        {
            errors["UpstreamModel"] = ["Name the provider's model (up to 200 characters)."];
        }

        if (request.ApiKey is { Length: > 1000 })
        {
            errors["ApiKey"] = ["The provider's key is at most 1,000 characters."];
        }

        if (request.Region is { Length: > 64 })
        {
            errors["Region"] = ["A region name is at most 64 characters."];
        }

        if (request.InputPricePerMillion < 0 || request.OutputPricePerMillion < 0)
        {
            errors["Prices"] = ["Prices per million tokens cannot be negative."];
        }

        return errors;
    }

    private static IQueryable<InferenceEndpoint> Query(PortalDbContext db) =>
        db.Endpoints.AsNoTracking().Include(e => e.PrimaryTarget).Include(e => e.SecondaryTarget);

    private static EndpointView ToView(InferenceEndpoint e) =>
        new(e.Id, e.Name, ToView(e.PrimaryTarget!), e.SecondaryTarget is null ? null : ToView(e.SecondaryTarget), e.ShadowShare, e.CreatedAt, Requirements(e));

    internal static EndpointRequirements Requirements(InferenceEndpoint e) =>
        new(e.RequiresCustomWeights, e.RequiredQuantization, e.RequiredResidency, e.ConcurrencyFloor);

    private static TargetView ToView(Target t) => new(t.Id, t.Name, t.Kind.ToString(), t.DeploymentId, t.BaseUrl, t.UpstreamModel, t.Region,
        t.InputPricePerMillion, t.OutputPricePerMillion, t.ProtectedApiKey is not null);

    private static TenantChange Change(Caller caller, Guid tenantId, string action, string resource) =>
        new(caller, tenantId, Permission, action, "endpoint", resource);
}
