// What the address bar says now: the layout compares it with the page the circuit rendered.
window.portalNavigation = {
    address: function () {
        return location.href;
    }
};
