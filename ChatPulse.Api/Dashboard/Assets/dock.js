// ChatPulse dock: the live bar and totals from the overlay's own socket (the same feed as the OBS overlay, feed.js).
(() => {
  "use strict";

  const dock = document.querySelector("main.dock[data-overlay-id]");
  if (!dock || !window.ChatPulseFeed) return;
  const byId = (id) => document.getElementById(id);

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

  window.ChatPulseFeed.follow(dock.dataset.overlayId, {
    state: render,
    connection: (status) => { dock.dataset.connection = status; },
  });
})();
