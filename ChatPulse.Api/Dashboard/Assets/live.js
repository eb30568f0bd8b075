// ChatPulse dashboard and dock: the live connected-overlay count and the test-vote buttons (no inline script: CSP).
(() => {
  "use strict";

  // Server-sent events: the count arrives when it changes; EventSource reconnects by itself (the server says after 2 s).
  // An answer that is not a stream (a 429, a 503 while Redis is away) closes it for good: open a new one a little later.
  const follow = (count) => {
    const events = new EventSource(count.dataset.liveCount);
    events.addEventListener("overlays", (event) => {
      try {
        count.textContent = String(JSON.parse(event.data).connected);
      } catch {
        // a malformed event: keep the last count
      }
    });
    events.addEventListener("error", () => {
      if (events.readyState === EventSource.CLOSED) setTimeout(() => follow(count), 10000 * (0.5 + Math.random()));
    });
  };
  if (window.EventSource) document.querySelectorAll("[data-live-count]").forEach(follow);

  // Test votes through fetch, so the page stays and the answer (counted, no overlay, slow down) shows in a line.
  for (const form of document.querySelectorAll("[data-test-votes]")) {
    const result = form.querySelector("[role=status]");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = new URLSearchParams(new FormData(form));
      body.set("kind", event.submitter ? event.submitter.value : "burst");
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body,
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        const answer = await response.json().catch(() => ({}));
        result.textContent = response.ok
          ? `${answer.counted} of ${answer.sent} test votes counted.`
          : answer.detail || answer.title || `Test votes refused (${response.status}).`;
        result.dataset.status = String(response.status);
      } catch {
        result.textContent = "ChatPulse did not answer. Please try again in a moment.";
        result.dataset.status = "0";
      }
    });
  }
})();
