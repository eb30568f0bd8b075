// ChatPulse dock: the live bar and totals from the overlay's own socket (the same feed as the OBS overlay).
(() => {
  "use strict";

  const CLOSE_OVERLAY_GONE = 4404; // the overlay URL was rotated: reload the dock for the new one
  const MAX_BACKOFF_MS = 30000;

  const dock = document.querySelector("[data-overlay-id]");
  if (!dock) return;
  const byId = (id) => document.getElementById(id);
  const socketUrl = (location.protocol === "https:" ? "wss://" : "ws://") + location.host +
    "/ws/overlay/" + encodeURIComponent(dock.dataset.overlayId) + "?preview=1"; // the dock is not one of the overlays
  let attempt = 0;

  function connect() {
    const socket = new WebSocket(socketUrl);
    dock.dataset.connection = "connecting";
    socket.onmessage = (event) => {
      let state;
      try { state = JSON.parse(event.data); } catch { return; }
      if (state.type !== "state") return;
      attempt = 0;
      dock.dataset.connection = "open";
      render(state);
    };
    socket.onclose = (event) => {
      if (event.code === CLOSE_OVERLAY_GONE) {
        dock.dataset.connection = "gone";
        setTimeout(() => location.reload(), 1000); // the page names the current overlay id
        return;
      }
      dock.dataset.connection = "reconnecting";
      const step = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt);
      attempt += 1;
      setTimeout(connect, step * (0.5 + Math.random()));
    };
  }

  function render(state) {
    const ratio = Math.min(1, Math.max(0, Number(state.forRatio)));
    byId("dock-for-label").textContent = state.forLabel;
    byId("dock-against-label").textContent = state.againstLabel;
    byId("dock-for-percent").textContent = Math.round(ratio * 100) + "%";
    byId("dock-against-percent").textContent = (100 - Math.round(ratio * 100)) + "%";
    byId("dock-for-votes").textContent = String(state.forVotes);
    byId("dock-against-votes").textContent = String(state.againstVotes);
    byId("dock-total-votes").textContent = String(state.totalVotes);
    byId("dock-fill").style.width = (ratio * 100).toFixed(2) + "%";
    dock.dataset.ratio = ratio.toFixed(4);
  }

  connect();
})();
