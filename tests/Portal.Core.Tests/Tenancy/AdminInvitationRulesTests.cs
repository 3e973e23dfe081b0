using Portal.Core.Tenancy;

namespace Portal.Core.Tests.Tenancy;

public sealed class AdminInvitationRulesTests
{
    [Fact]
    public void Refuse_AnActiveTenant_IsHandedOver()
    {
        Assert.Null(AdminInvitationRules.Refuse(TenantState.Active));
    }

    [Theory]
    [InlineData(TenantState.Suspended, "The tenant is suspended: resume it before inviting its admin.")]
    [InlineData(TenantState.Deleted, "The tenant is deleted; nobody can be invited into it.")]
    public void Refuse_ASuspendedOrDeletedTenant_SaysWhy(TenantState state, string reason)
    {
        Assert.Equal(reason, AdminInvitationRules.Refuse(state));
    }

}
