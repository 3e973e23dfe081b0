namespace Portal.Core.Accounts;

/// <summary>A tenant's "require two-factor sign-in" setting, applied to the people who work in it.</summary>
public static class TwoFactorPolicy
{
    /// <summary>
    /// Whether a person may work in a tenant: always, unless the tenant requires two-factor sign-in and they have not
    /// set it up. Programs (automation clients) are not people and are never asked.
    /// </summary>
    public static bool Admits(bool tenantRequiresTwoFactor, bool personHasTwoFactor) =>
        !tenantRequiresTwoFactor || personHasTwoFactor;

    /// <summary>
    /// Why an admin may not turn the requirement on, or null when they may: a person without two-factor sign-in
    /// would lock themselves out of the tenant with the change. Clients set it freely.
    /// </summary>
    public static string? RefuseRequiring(bool requireTwoFactor, bool callerIsPerson, bool callerHasTwoFactor) =>
        requireTwoFactor && callerIsPerson && !callerHasTwoFactor
            ? "Set up two-factor sign-in for yourself first (Account security): requiring it now would hold you back from this tenant too."
            : null;

    /// <summary>What a person held back by the requirement is told, on a page or in a problem detail.</summary>
    public static string HeldBackMessage(string tenantName) =>
        $"{tenantName} requires two-factor sign-in. Set it up with an authenticator app at /account/security, then try again.";
}
