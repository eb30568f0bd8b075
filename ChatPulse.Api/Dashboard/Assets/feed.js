// ChatPulse dashboard and dock: one overlay socket per page (?preview=1: watched, not counted), shared by the scripts
// that show its frames (dock.js: the bar; polls.js: the running poll). Reconnects with backoff.
window.ChatPulseFeed = (() => {
  "use strict";

  const CLOSE_OVERLAY_GONE = 4404; // the overlay URL was rotated: reload the page for the new one
  const MAX_BACKOFF_MS = 30000;
  const followers = [];
  let overlayId = null;
  let attempt = 0;

  const tell = (kind, value) => followers.forEach((follower) => follower[kind]?.(value));

  function connect() {
    const socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host +
      "/ws/overlay/" + encodeURIComponent(overlayId) + "?preview=1");
    tell("connection", "connecting");
    socket.onmessage = (event) => {
      let frame;
      try { frame = JSON.parse(event.data); } catch { return; }
      if (frame.type !== "state") return;
      attempt = 0;
      tell("connection", "open");
      tell("state", frame);
    };
    socket.onclose = (event) => {
      if (event.code === CLOSE_OVERLAY_GONE) {
        tell("connection", "gone");
        setTimeout(() => location.reload(), 1000); // the page names the current overlay id
        return;
      }
      tell("connection", "reconnecting");
      const step = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt);
      attempt += 1;
      setTimeout(connect, step * (0.5 + Math.random()));
    };
  }

  /** Calls follower.state(frame) for each state frame and follower.connection(status) as the socket comes and goes. */
  function follow(id, follower) {
    followers.push(follower);
    if (overlayId === null) {
      overlayId = id;
      connect();
    }
  }

  return { follow };
})();
