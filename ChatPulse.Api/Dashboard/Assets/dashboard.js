// ChatPulse dashboard: copy button, confirmations, and the connected-overlay count (no inline script: CSP).
(() => {
  "use strict";

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const field = document.querySelector(button.dataset.copy);
    if (!field) return;
    try {
      await navigator.clipboard.writeText(field.value);
    } catch {
      field.select(); // no clipboard permission (plain HTTP, old browser): leave it selected for Ctrl+C
      document.execCommand && document.execCommand("copy");
    }
    const label = button.textContent;
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = label; }, 1500);
  });

  document.addEventListener("submit", (event) => {
    const message = event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });

  const count = document.querySelector("[data-src]#overlay-count");
  if (count) {
    const refresh = async () => {
      if (document.hidden) return;
      try {
        const response = await fetch(count.dataset.src, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (response.ok) count.textContent = String((await response.json()).connected);
      } catch {
        // offline or deploying: the next tick tries again
      }
    };
    setInterval(refresh, 15000);
  }
})();
