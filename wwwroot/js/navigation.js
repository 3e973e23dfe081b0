// What the address bar says now: the layout compares it with the page the circuit rendered.
window.portalNavigation = {
    address: function () {
        return location.href;
    }
};

// The navigation drawer opens and closes here, in MudBlazor's classes, so no circuit holds its state or follows the
// window's width. The server renders it as MudDrawer did before it knew the width: open, and "initial", which
// MudBlazor's style sheet hides below its Md breakpoint. The width decides until the person chooses: open from
// 960 px, closed (and over the page, with an overlay) below. On a phone, following a link or tapping the overlay
// closes it; crossing the breakpoint goes back to the width's choice, as MudDrawer did.
(function () {
    const wide = matchMedia("(min-width: 960px)");
    let choice = null;
    let initial = true;

    const isOpen = () => choice ?? wide.matches;

    function show(layout) {
        const drawer = layout.querySelector(":scope > .mud-drawer");
        if (!drawer) {
            return;
        }

        const open = isOpen();
        layout.classList.toggle("mud-drawer-open-responsive-md-left", open);
        layout.classList.toggle("mud-drawer-close-responsive-md-left", !open);
        drawer.classList.toggle("mud-drawer--open", open);
        drawer.classList.toggle("mud-drawer--closed", !open);
        drawer.classList.toggle("mud-drawer--initial", initial);
        layout.querySelector(":scope > .mud-drawer-overlay")?.classList.toggle("mud-drawer-overlay--open", open);
    }

    function change(open) {
        choice = open;
        initial = false;
        document.querySelectorAll("portal-layout").forEach(show);
    }

    customElements.define("portal-layout", class extends HTMLElement {
        connectedCallback() {
            // The circuit's first render replaces the prerendered page, and Blazor inserts an element before its
            // children: show the drawer's state once the whole batch is in.
            queueMicrotask(() => show(this));
        }
    });

    document.addEventListener("click", e => {
        const target = e.target instanceof Element ? e.target : null;
        if (!target?.closest("portal-layout")) {
            return;
        }

        if (target.closest("[data-drawer-toggle]")) {
            change(!isOpen());
        } else if (target.closest(".mud-drawer-overlay")) {
            change(false);
        } else if (!wide.matches && target.closest(".mud-drawer a[href]") && !(e.ctrlKey || e.metaKey || e.shiftKey)) {
            change(false);
        }
    });

    wide.addEventListener("change", () => change(null));
})();
