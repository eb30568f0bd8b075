// ChatPulse dashboard: copy button, confirmations and saving (no inline script: CSP). The live count is in live.js.
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

  // Saving through fetch, so a refusal the server can say in a line (503: the database is down) shows in the form,
  // with the streamer's edits still in it. Any other answer is shown as the browser would have shown it.
  const config = document.querySelector("[data-testid=config-form]");
  if (config && window.fetch) {
    config.addEventListener("submit", async (event) => {
      event.preventDefault();
      let response;
      try {
        response = await fetch(config.action, {
          method: "POST",
          body: new URLSearchParams(new FormData(config)),
          headers: { Accept: "text/html" },
          credentials: "same-origin",
        });
      } catch {
        showRefusal("ChatPulse did not answer, so your changes may not have been saved. Please try again in a moment.");
        return;
      }
      if (response.redirected) {
        window.location.assign(response.url);
        return;
      }
      const html = await response.text();
      if (response.status === 503) {
        const detail = new DOMParser().parseFromString(html, "text/html").querySelector("main p");
        showRefusal(detail ? detail.textContent : "Nothing was saved. Please try again in a minute.");
        return;
      }
      document.open();
      document.write(html);
      document.close();
    });
  }

  function showRefusal(text) {
    let notice = config.querySelector("[data-testid=save-refused]");
    if (!notice) {
      notice = document.createElement("div");
      notice.className = "notice error";
      notice.setAttribute("role", "alert");
      notice.dataset.testid = "save-refused";
      config.prepend(notice);
    }
    notice.textContent = text;
  }
})();
