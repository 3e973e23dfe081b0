using Portal.Core.Tenancy;

namespace Portal.Core.Tests.Tenancy;

public class TenantRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void StateOf_DeletionWinsOverSuspension()
    {
        Assert.Equal(TenantState.Active, TenantRules.StateOf(null, null));
        Assert.Equal(TenantState.Suspended, TenantRules.StateOf(At, null));
        Assert.Equal(TenantState.Deleted, TenantRules.StateOf(At, At));
    }

    [Theory]
    [InlineData("acme")]
    [InlineData("acme-research")]
    [InlineData("a1")]
    [InlineData("team-42-eu")]
    public void CheckSlug_AcceptsLowerCaseWordsJoinedBySingleHyphens(string slug)
    {
        Assert.Null(TenantRules.CheckSlug(slug));
    }

    [Theory]
    [InlineData("", "Give the tenant a slug")]
    [InlineData("a", "A slug has 2 to 63 characters; 'a' has 1.")]
    [InlineData("Acme", "'Acme' is not a slug")]
    [InlineData("acme--research", "is not a slug")]
    [InlineData("-acme", "is not a slug")]
    [InlineData("acme-", "is not a slug")]
    [InlineData("1acme", "is not a slug")]
    [InlineData("acme research", "is not a slug")]
    public void CheckSlug_RefusesWithTheReason(string slug, string reason)
    {
        Assert.Contains(reason, TenantRules.CheckSlug(slug));
    }

    [Fact]
    public void CheckSlug_RefusesMoreThanSixtyThreeCharacters()
    {
        Assert.Null(TenantRules.CheckSlug(new string('a', 63)));
        Assert.Equal("A slug has 2 to 63 characters; '" + new string('a', 64) + "' has 64.", TenantRules.CheckSlug(new string('a', 64)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void CheckName_RefusesABlankName(string? name)
    {
        Assert.Equal("Give the tenant a name, e.g. the customer's organisation.", TenantRules.CheckName(name));
    }

    [Fact]
    public void CheckName_AcceptsUpToTwoHundredCharacters()
    {
        Assert.Null(TenantRules.CheckName("Acme Research"));
        Assert.Null(TenantRules.CheckName(new string('x', 200)));
        Assert.Equal("A tenant's name has at most 200 characters.", TenantRules.CheckName(new string('x', 201)));
    }

    [Theory]
    [InlineData(TenantState.Active, TenantState.Suspended)]
    [InlineData(TenantState.Suspended, TenantState.Active)]
    [InlineData(TenantState.Suspended, TenantState.Deleted)]
    public void RefuseTransition_AllowsSuspendResumeAndDeleteAfterSuspension(TenantState from, TenantState to)
    {
        Assert.Null(TenantRules.RefuseTransition(from, to));
    }

    [Theory]
    [InlineData(TenantState.Active, TenantState.Deleted, "Suspend the tenant before deleting it: deletion is the last step of offboarding.")]
    [InlineData(TenantState.Active, TenantState.Active, "The tenant is not suspended.")]
    [InlineData(TenantState.Suspended, TenantState.Suspended, "The tenant is already suspended.")]
    [InlineData(TenantState.Deleted, TenantState.Active, "The tenant is deleted; nothing about it can change.")]
    [InlineData(TenantState.Deleted, TenantState.Deleted, "The tenant is deleted; nothing about it can change.")]
    public void RefuseTransition_SaysWhyOtherwise(TenantState from, TenantState to, string reason)
    {
        Assert.Equal(reason, TenantRules.RefuseTransition(from, to));
    }

    [Fact]
    public void RefuseRename_OnlyADeletedTenantKeepsItsName()
    {
        Assert.Null(TenantRules.RefuseRename(TenantState.Active));
        Assert.Null(TenantRules.RefuseRename(TenantState.Suspended));
        Assert.NotNull(TenantRules.RefuseRename(TenantState.Deleted));
    }
}
