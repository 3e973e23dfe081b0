using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;
using Portal.Audit;
using Portal.Components.Shared;
using Portal.Core.Tenancy;
using Portal.Identity;

namespace Portal.Components.Layout;

public partial class MainLayout
{
    [Inject]
    private CallerResolver Callers { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private AuditContext AuditContext { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private AuthenticationStateProvider AuthenticationStateProvider { get; set; } = default!;

    private const string IconButtonClass =
        "mud-button-root mud-icon-button mud-inherit-text hover:mud-inherit-hover mud-ripple mud-ripple-icon";

    private static readonly MarkupString MenuIcon = IconMarkup.IconButtonLabel(Icons.Material.Filled.Menu);
    private static readonly MarkupString LightModeIcon = IconMarkup.IconButtonLabel(Icons.Material.Filled.LightMode);
    private static readonly MarkupString DarkModeIcon = IconMarkup.IconButtonLabel(Icons.Material.Filled.DarkMode);

    private bool _dark;
    private PortalSession? _session;
    private GuidedTour? _tour;
    private bool _tourChecked;
    private bool _tourShown;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [CascadingParameter]
    private PageRequest? Request { get; set; }

    private Guid? PreferredTenant => Request?.PreferredTenant;

    private string? ClientIp => Request?.ClientIp;

    // The menus are MudMenus only from the first time they are opened; until then the layout renders their stand-ins.
    private bool _tenantMenuShown;
    private bool _accountMenuShown;
    private EventCallback _showTenantMenu;
    private EventCallback _showAccountMenu;

    protected override void OnInitialized()
    {
        AuditContext.ClientIp = ClientIp ?? "unknown";
        _showTenantMenu = EventCallback.Factory.Create(this, () => _tenantMenuShown = true);
        _showAccountMenu = EventCallback.Factory.Create(this, () => _accountMenuShown = true);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            await CatchUpWithTheAddressBarAsync();
        }

        if (!_tourChecked && _session is not null && RendererInfo.IsInteractive)
        {
            await ShowTheTourOnAFirstVisitAsync();
        }
    }

    /// <summary>The tour shows by itself until this browser has skipped or finished it once.</summary>
    private async Task ShowTheTourOnAFirstVisitAsync()
    {
        _tourChecked = true;
        try
        {
            _tourShown = !await JS.InvokeAsync<bool>("portalTour.seen");
            StateHasChanged();
        }
        catch (JSDisconnectedException)
        {
            // The browser went away before it answered: there is no page left to show the tour on.
        }
    }

    private void TakeTheTour()
    {
        if (_tourShown)
        {
            _tour?.Start();
        }
        else
        {
            _tourShown = true;
        }
    }

    /// <summary>
    /// A link followed while the circuit was starting changes the address bar before the router listens, and the
    /// old page would stay on screen under the new address. Once the circuit runs, go where the address bar says.
    /// </summary>
    private async Task CatchUpWithTheAddressBarAsync()
    {
        try
        {
            var address = await JS.InvokeAsync<string>("portalNavigation.address");
            if (!string.Equals(address, Navigation.Uri, StringComparison.Ordinal))
            {
                Navigation.NavigateTo(address, replace: true);
            }
        }
        catch (JSDisconnectedException)
        {
            // The browser went away before it answered: there is no page left to correct.
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        if (AuthenticationState is null)
        {
            return;
        }

        var state = await AuthenticationState;
        var caller = await Callers.ResolveAsync(state.User);
        if (caller is null)
        {
            // Signed in once, but disabled or revoked since: start again at the sign-in page.
            if (state.User.Identity?.IsAuthenticated == true)
            {
                Navigation.NavigateTo("account/login", forceLoad: true);
            }

            _session = null;
            return;
        }

        if (caller.HeldBack(PreferredTenant) is not null)
        {
            // The tenant this person works in requires two-factor sign-in they have not set up: set it up first, then come back.
            var returnUrl = Uri.EscapeDataString("/" + Navigation.ToBaseRelativePath(Navigation.Uri));
            Navigation.NavigateTo($"account/security?ReturnUrl={returnUrl}", forceLoad: true);
            _session = null;
            return;
        }

        (AuthenticationStateProvider as SessionRevalidatingStateProvider)?.Observe(caller);
        _session = new PortalSession(caller, caller.Active(PreferredTenant));
    }
}
