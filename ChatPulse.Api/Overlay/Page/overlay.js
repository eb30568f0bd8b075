'use strict';
// ChatPulse overlay: one socket, full state in every frame, eased toward the server's ratio.
(() => {
  const CLOSE_OVERLAY_GONE = 4404; // unknown or rotated id: never reconnect
  const CLOSE_GOING_AWAY = 1001; // replica shutting down: reconnect soon, another replica answers
  const SILENCE_LIMIT_MS = 60000; // the server pings every 25 s; this much silence means a dead link
  const EASING_MS = 180; // time constant of the exponential easing
  const MAX_BACKOFF_MS = 30000;

  const root = document.documentElement;
  const overlayId = location.pathname.split('/').filter(Boolean).pop() || '';
  const socketUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host +
    '/ws/overlay/' + encodeURIComponent(overlayId) +
    (new URLSearchParams(location.search).get('preview') === '1' ? '?preview=1' : ''); // not counted as an overlay

  let socket = null;
  let attempt = 0;
  let lastMessageAt = 0;
  let target = 0.5;
  let shown = 0.5;
  let animating = false;
  let lastFrameTime = 0;

  function connect() {
    const ws = new WebSocket(socketUrl);
    socket = ws;
    root.dataset.connection = 'connecting';
    ws.onopen = () => {
      if (ws !== socket) return;
      lastMessageAt = performance.now();
    };
    ws.onmessage = (event) => {
      if (ws !== socket) return;
      lastMessageAt = performance.now();
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      if (message.type === 'state') {
        attempt = 0;
        root.dataset.connection = 'open'; // live: the server sends the first state once it follows this broadcaster
        render(message);
      }
    };
    ws.onclose = (event) => {
      if (ws !== socket) return;
      socket = null;
      if (event.code === CLOSE_OVERLAY_GONE) {
        root.dataset.connection = 'gone';
        return;
      }
      root.dataset.connection = 'reconnecting';
      reconnectLater(event.code);
    };
  }

  // Jittered exponential back-off (50–150 % of the step), so a replica's pages do not return in one wave.
  function reconnectLater(code) {
    const step = code === CLOSE_GOING_AWAY && attempt === 0 ? 500 : Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt);
    attempt += 1;
    setTimeout(connect, step * (0.5 + Math.random()));
  }

  setInterval(() => {
    if (socket && socket.readyState === WebSocket.OPEN && performance.now() - lastMessageAt > SILENCE_LIMIT_MS) {
      const dead = socket;
      socket = null; // ignore whatever the dead socket reports later
      dead.close();
      reconnectLater(1006);
    }
  }, 5000);

  function render(state) {
    overlayLook.apply(state); // the look (style, colours, labels): overlay-look.js
    overlayPoll.apply(state); // the poll over the mood bar, if one is shown: overlay-poll.js
    root.dataset.status = state.status;
    root.dataset.totalVotes = String(state.totalVotes);
    target = Math.min(1, Math.max(0, Number(state.forRatio)));
    root.dataset.target = target.toFixed(4);
    root.dataset.ready = 'true';
    if (!animating) {
      animating = true;
      lastFrameTime = 0;
      requestAnimationFrame(step);
    }
  }

  function step(now) {
    const dt = lastFrameTime ? Math.min(now - lastFrameTime, 100) : 16;
    lastFrameTime = now;
    shown += (target - shown) * (1 - Math.exp(-dt / EASING_MS));
    if (Math.abs(target - shown) < 0.0005) shown = target;
    draw(shown);
    if (shown !== target) {
      requestAnimationFrame(step);
    } else {
      animating = false; // idle until the next frame: no CPU spent in OBS
    }
  }

  function draw(ratio) {
    overlayLook.draw(ratio);
  }

  draw(shown);
  connect();
})();
