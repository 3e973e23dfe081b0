using Portal.Core.Tenancy;

namespace Portal.Core.Tests.Tenancy;

public class AccessPolicyTests
{
    private const TenantRole UnknownRole = (TenantRole)99;

    [Fact]
    public void AreasFor_TenantAdmin_IsEveryTenantAreaButNotSupport()
    {
        Assert.Equal<Area>(
            [Area.Overview, Area.Deploy, Area.Endpoints, Area.Observability, Area.Migration, Area.Regions, Area.Audit, Area.HealthSla, Area.ApiKeys, Area.Members, Area.Usage],
            AccessPolicy.AreasFor(TenantRole.TenantAdmin, isSupport: false));
    }

    [Fact]
    public void AreasFor_Developer_DeploysAndCreatesKeysButNeitherManagesMembersNorReadsTheAuditLog()
    {
        Assert.Equal<Area>(
            [Area.Overview, Area.Deploy, Area.Endpoints, Area.Observability, Area.Migration, Area.Regions, Area.HealthSla, Area.ApiKeys, Area.Usage],
            AccessPolicy.AreasFor(TenantRole.Developer, isSupport: false));
    }

    [Fact]
    public void AreasFor_Auditor_ReadsTheAuditLogAndDashboardsButNoAreaThatChangesThings()
    {
        Assert.Equal<Area>(
            [Area.Overview, Area.Endpoints, Area.Observability, Area.Migration, Area.Regions, Area.Audit, Area.HealthSla, Area.Usage],
            AccessPolicy.AreasFor(TenantRole.Auditor, isSupport: false));
    }

    [Fact]
    public void AreasFor_SupportOutsideAnyTenant_SeesTheFleetOverviewAndPlatformAuditOnly()
    {
        Assert.Equal<Area>([Area.Overview, Area.Audit, Area.Support], AccessPolicy.AreasFor(role: null, isSupport: true));
    }

    [Fact]
    public void AreasFor_SupportLookingInAsAuditor_ReadsTheTenantAndKeepsTheSupportArea()
    {
        Assert.Equal<Area>(
            [Area.Overview, Area.Endpoints, Area.Observability, Area.Migration, Area.Regions, Area.Audit, Area.HealthSla, Area.Support, Area.Usage],
            AccessPolicy.AreasFor(TenantRole.Auditor, isSupport: true));
    }

    [Fact]
    public void AreasFor_NoRoleAndNotSupport_IsEmpty()
    {
        Assert.Empty(AccessPolicy.AreasFor(role: null, isSupport: false));
    }

    [Fact]
    public void AreasFor_ARoleValueThisBuildDoesNotKnow_IsTreatedAsNoRole()
    {
        Assert.Empty(AccessPolicy.AreasFor(UnknownRole, isSupport: false));
        Assert.Equal<Area>([Area.Overview, Area.Audit, Area.Support], AccessPolicy.AreasFor(UnknownRole, isSupport: true));
    }

    [Fact]
    public void CanUse_AnAreaThisBuildDoesNotKnow_IsDeniedToEveryone()
    {
        Assert.False(AccessPolicy.CanUse((Area)99, TenantRole.TenantAdmin, isSupport: true));
    }

    [Fact]
    public void CanUse_SupportArea_FollowsTheSupportFlagNotTheTenantRole()
    {
        Assert.False(AccessPolicy.CanUse(Area.Support, TenantRole.TenantAdmin, isSupport: false));
        Assert.True(AccessPolicy.CanUse(Area.Support, role: null, isSupport: true));
    }

    [Theory]
    [InlineData(TenantRole.TenantAdmin, true)]
    [InlineData(TenantRole.Developer, true)]
    [InlineData(TenantRole.Auditor, false)]
    [InlineData(UnknownRole, false)]
    public void CanChange_OnlyAdminsAndDevelopers(TenantRole role, bool expected)
    {
        Assert.Equal(expected, AccessPolicy.CanChange(role));
    }

    [Theory]
    [InlineData(TenantRole.TenantAdmin, true)]
    [InlineData(TenantRole.Developer, false)]
    [InlineData(TenantRole.Auditor, false)]
    [InlineData(UnknownRole, false)]
    public void CanManageMembers_OnlyTenantAdmins(TenantRole role, bool expected)
    {
        Assert.Equal(expected, AccessPolicy.CanManageMembers(role));
    }

    [Fact]
    public void AreasFor_OperatorOutsideAnyTenant_ManagesTenantsAndReadsThePlatformAuditOnly()
    {
        Assert.Equal<Area>([Area.Overview, Area.Audit, Area.Tenants], AccessPolicy.AreasFor(role: null, isSupport: false, isOperator: true));
    }

    [Fact]
    public void CanUse_TenantsArea_IsTheOperatorsAloneNotSupportsNorATenantAdmins()
    {
        Assert.True(AccessPolicy.CanUse(Area.Tenants, role: null, isSupport: false, isOperator: true));
        Assert.False(AccessPolicy.CanUse(Area.Tenants, role: null, isSupport: true));
        Assert.False(AccessPolicy.CanUse(Area.Tenants, TenantRole.TenantAdmin, isSupport: false));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void CanManageTenants_OnlyOperators(bool isOperator, bool expected)
    {
        Assert.Equal(expected, AccessPolicy.CanManageTenants(isOperator));
    }

    [Theory]
    [InlineData(TenantRole.TenantAdmin, true)]
    [InlineData(TenantRole.Developer, false)]
    [InlineData(TenantRole.Auditor, false)]
    [InlineData(UnknownRole, false)]
    public void CanSetLatencyObjective_OnlyTenantAdmins(TenantRole role, bool expected)
    {
        Assert.Equal(expected, AccessPolicy.CanSetLatencyObjective(role));
    }
}
