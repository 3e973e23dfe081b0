using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Quotas;

namespace Portal.Core.Tests.Quotas;

public class QuotaRuleTests
{
    private static readonly QuotaLimits Limits = new()
    {
        GpusInUse = 16, ReplicasPerDeployment = 4, Deployments = 3, Endpoints = 5, ApiKeys = 2, Webhooks = 1, Pipelines = 1,
    };

    [Fact]
    public void HundredThousandBaselineReplicas_RefusedNamingQuotaLimitAndRequest()
    {
        var refusals = QuotaRule.CheckDeployment(QuotaLimits.Default, QuotaUsage.None, new DeploymentClaim(100000, 100000, 1), isNew: true);

        var baseline = Assert.Single(refusals, r => r.Field == DeploymentFields.BaselineReplicas);
        Assert.Equal(QuotaKind.ReplicasPerDeployment, baseline.Quota);
        Assert.Equal(16, baseline.Limit);
        Assert.Equal(100000, baseline.Requested);
        Assert.Equal("quota 'replicas per deployment' is 16; requested 100000 baseline replicas.", baseline.Message);
        Assert.Contains(refusals, r => r.Field == DeploymentFields.MaxReplicas && r.Quota == QuotaKind.ReplicasPerDeployment);
        Assert.Contains(refusals, r => r.Quota == QuotaKind.GpusInUse && r.Requested == 100000);
    }

    [Fact]
    public void DeploymentExactlyAtEveryEdge_IsAccepted()
    {
        // 12 GPUs in use elsewhere + 4 replicas × 1 GPU = 16 = the limit; 2 deployments + this one = 3; 4 endpoints + 1 = 5.
        var others = new QuotaUsage { GpusInUse = 12, Deployments = 2, Endpoints = 4 };

        var refusals = QuotaRule.CheckDeployment(Limits, others, new DeploymentClaim(4, 4, 1), isNew: true);

        Assert.Empty(refusals);
    }

    [Fact]
    public void OneGpuPastTheEdge_RefusedWithCurrentUseAndClaim()
    {
        var others = new QuotaUsage { GpusInUse = 13 };

        var refusal = Assert.Single(QuotaRule.CheckDeployment(Limits, others, new DeploymentClaim(2, 4, 1), isNew: false));

        Assert.Equal(QuotaKind.GpusInUse, refusal.Quota);
        Assert.Equal((16, 13, 4), (refusal.Limit, refusal.InUse, refusal.Requested));
        Assert.Equal(DeploymentFields.MaxReplicas, refusal.Field);
        Assert.Equal("quota 'GPUs in use' is 16; 13 in use by other deployments, this one claims 4 (4 replicas at most, burst included, × 1 GPUs).",
            refusal.Message);
    }

    [Fact]
    public void BurstReplicasCountTowardGpus_NotOnlyTheBaseline()
    {
        // Baseline 1 × 8 GPUs fits 16; the maximum of 3 claims 24.
        var refusal = Assert.Single(QuotaRule.CheckDeployment(Limits, QuotaUsage.None, new DeploymentClaim(1, 3, 8), isNew: false));

        Assert.Equal(QuotaKind.GpusInUse, refusal.Quota);
        Assert.Equal(24, refusal.Requested);
    }

    [Fact]
    public void ChangingAnExistingDeployment_DoesNotCountItAsAnotherDeploymentOrEndpoint()
    {
        var others = new QuotaUsage { Deployments = 3, Endpoints = 5 };

        Assert.Empty(QuotaRule.CheckDeployment(Limits, others, new DeploymentClaim(1, 1, 1), isNew: false));
        var refusals = QuotaRule.CheckDeployment(Limits, others, new DeploymentClaim(1, 1, 1), isNew: true);
        Assert.Equal([QuotaKind.Deployments, QuotaKind.Endpoints], refusals.Select(r => r.Quota));
        Assert.All(refusals, r => Assert.Equal(DeploymentFields.Name, r.Field));
        Assert.Equal("quota 'deployments' is 3; 3 in use, so one more would exceed it.", refusals[0].Message);
    }

    [Theory]
    [InlineData(QuotaKind.ApiKeys, 1, false)]
    [InlineData(QuotaKind.ApiKeys, 2, true)]
    [InlineData(QuotaKind.Webhooks, 0, false)]
    [InlineData(QuotaKind.Webhooks, 1, true)]
    [InlineData(QuotaKind.Pipelines, 1, true)]
    [InlineData(QuotaKind.Endpoints, 4, false)]
    [InlineData(QuotaKind.Endpoints, 5, true)]
    public void CountQuota_RefusesOnlyPastTheLimit(QuotaKind kind, int inUse, bool refused)
    {
        var usage = new QuotaUsage { ApiKeys = inUse, Webhooks = inUse, Pipelines = inUse, Endpoints = inUse };

        var refusal = QuotaRule.CheckCount(kind, Limits, usage);

        Assert.Equal(refused, refusal is not null);
        if (refusal is not null)
        {
            Assert.Equal((kind, Limits[kind], inUse), (refusal.Quota, refusal.Limit, refusal.InUse));
            Assert.StartsWith($"quota '{QuotaNames.Display(kind)}' is {Limits[kind]}; {inUse} in use", refusal.Message);
        }
    }

    [Fact]
    public void ZeroLimit_RefusesTheFirstOne()
    {
        var refusal = QuotaRule.CheckCount(QuotaKind.Webhooks, Limits with { Webhooks = 0 }, QuotaUsage.None);

        Assert.Equal("quota 'webhooks' is 0; 0 in use, so one more would exceed it.", refusal?.Message);
    }

    [Fact]
    public void Overrides_ReplaceOnlyTheQuotasTheyName()
    {
        var limits = QuotaLimits.Default.With(new QuotaOverrides { GpusInUse = 256, Webhooks = 0 });

        Assert.Equal(256, limits.GpusInUse);
        Assert.Equal(0, limits.Webhooks);
        Assert.Equal(QuotaLimits.Default.ReplicasPerDeployment, limits.ReplicasPerDeployment);
        Assert.Equal(QuotaLimits.Default.ApiKeys, limits.ApiKeys);
    }

    [Fact]
    public void Usage_ClaimsMaxReplicasTimesGpusPerReplica_StoppedOnesIncluded()
    {
        var usage = QuotaUsage.From([new DeploymentClaim(1, 2, 4), new DeploymentClaim(3, 3, 1)], endpoints: 4, apiKeys: 1, webhooks: 0, pipelines: 2);

        Assert.Equal(11, usage.GpusInUse);
        Assert.Equal(3, usage.ReplicasPerDeployment);
        Assert.Equal(2, usage.Deployments);
        Assert.Equal(4, usage.Endpoints);
    }

    [Fact]
    public void Validator_RefusesPastAQuota_AndAcceptsAtTheEdge()
    {
        var spec = new DeploymentSpec
        {
            Name = "chat", Model = ModelReference.FromCatalog("llama-3.1-8b-instruct"), GpuType = "h100-80gb", GpusPerReplica = 1,
            BaselineReplicas = 100000, MaxReplicas = 100000, Region = "us-east",
        };
        var context = new DeploymentValidationContext { Quota = new DeploymentQuota(QuotaLimits.Default, QuotaUsage.None, IsNew: true) };

        var refused = DeploymentValidator.Validate(spec, ModelCatalog.Default, context);
        var atEdge = DeploymentValidator.Validate(spec with { BaselineReplicas = 16, MaxReplicas = 16 }, ModelCatalog.Default, context);

        Assert.Contains("quota 'replicas per deployment' is 16; requested 100000 baseline replicas.", refused.For(DeploymentFields.BaselineReplicas));
        Assert.True(atEdge.IsValid, string.Join(" ", atEdge.Errors.SelectMany(e => e.Value)));
    }
}

public class QuotaAccessPolicyTests
{
    [Theory]
    [InlineData(Portal.Core.Tenancy.TenantRole.TenantAdmin, false, false, true, false)]
    [InlineData(Portal.Core.Tenancy.TenantRole.Developer, false, false, false, false)]
    [InlineData(Portal.Core.Tenancy.TenantRole.Auditor, false, false, false, false)]
    [InlineData(null, true, false, true, false)]
    [InlineData(null, false, true, true, true)]
    public void OnlyOperatorsSetQuotas(Portal.Core.Tenancy.TenantRole? role, bool support, bool @operator, bool reads, bool sets)
    {
        Assert.Equal(reads, Portal.Core.Tenancy.AccessPolicy.CanReadQuotas(role, support, @operator));
        Assert.Equal(sets, Portal.Core.Tenancy.AccessPolicy.CanSetQuotas(@operator));
    }
}
