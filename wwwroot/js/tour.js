// The guided tour's memory (one flag in localStorage, per browser) and its highlight of a navigation item.
window.portalTour = {
    key: "portal.tour.seen",

    seen: function () {
        try {
            return localStorage.getItem(this.key) === "1";
        } catch {
            return false;
        }
    },

    dismiss: function () {
        try {
            localStorage.setItem(this.key, "1");
        } catch {
            // Private windows may refuse storage: the tour then shows again on the next visit.
        }

        this.highlight(null);
    },

    highlight: function (area) {
        document.querySelectorAll(".tour-highlight").forEach(e => e.classList.remove("tour-highlight"));
        if (area) {
            const item = document.querySelector(`[data-area="${area}"]`);
            if (item) {
                item.classList.add("tour-highlight");
                item.scrollIntoView({ block: "nearest" });
            }
        }
    },
};
