namespace Portal.Api;

public sealed record MeResponse(string Subject, string Name, string Kind, bool IsSupport, IReadOnlyList<MeTenant> Tenants);

public sealed record MeTenant(Guid Id, string Name, string Role);

public static class MeApi
{
    public static RouteGroupBuilder MapMeApi(this RouteGroupBuilder api)
    {
        api.MapGet("/me", (HttpContext http) =>
            {
                var caller = http.Caller();
                return TypedResults.Ok(new MeResponse(caller.Subject, caller.Name, caller.IsClient ? "client" : "user", caller.IsSupport,
                    caller.Tenants.Select(t => new MeTenant(t.TenantId, t.TenantName, t.Role.ToString())).ToList()));
            })
            .WithName("GetMe")
            .WithSummary("The caller: who, which tenants, which role in each.")
            .WithTags("Identity")
            .OpenWhileAwaitingTwoFactor();
        return api;
    }
}
