// ChatPulse dashboard: the live preview. The frame is the streamer's real overlay page (so votes move it); the form's
// look fields reach it as query-string overrides by postMessage before anything is saved (docs/overlay-styles.md).
(() => {
  "use strict";

  const frame = document.getElementById("preview");
  const form = document.querySelector("[data-testid=config-form]");
  if (!frame || !form) return;
  const stage = frame.parentElement;
  const size = document.getElementById("preview-size");
  const custom = document.querySelector(".custom-size");
  const width = document.getElementById("preview-width");
  const height = document.getElementById("preview-height");

  const value = (name) => form.querySelector(`[name="${name}"]:not([type=hidden])`)?.value ?? "";
  const checked = (name) => String(form.querySelector(`input[type=checkbox][name="${name}"]`)?.checked ?? true);

  const firstLine = (text) => text.split("\n").map((line) => line.trim()).find((line) => line !== "") ?? "";

  function overrides() {
    const mode = value("Form.DisplayMode");
    return new URLSearchParams({
      style: mode === "combined" ? "bar" : mode,
      theme: value("Form.Theme"),
      for: value("Form.Style.ForColor"),
      against: value("Form.Style.AgainstColor"),
      text: value("Form.Style.TextColor"),
      font: value("Form.Style.Font"),
      position: value("Form.Style.LabelPosition"),
      labels: checked("Form.Style.ShowLabels"),
      percent: checked("Form.Style.ShowPercentages"),
      votes: checked("Form.Style.ShowVotes"),
      radius: value("Form.Style.CornerRadius"),
      idle: value("Form.Style.HideWhenIdleSeconds").trim() || "0",
      forLabel: value("Form.ForLabel"),
      againstLabel: value("Form.AgainstLabel"),
      triggers: checked("Form.ShowTriggers"),
      forTrigger: firstLine(value("Form.ForTriggers")),
      againstTrigger: firstLine(value("Form.AgainstTriggers")),
    }).toString();
  }

  function send() {
    frame.contentWindow?.postMessage({ type: "chatpulse:preview", query: overrides() }, location.origin);
  }

  form.addEventListener("input", send);
  form.addEventListener("change", send);
  frame.addEventListener("load", send);
  window.addEventListener("message", (event) => {
    if (event.origin === location.origin && event.source === frame.contentWindow && event.data?.type === "chatpulse:overlay-ready") send();
  });

  // Each colour's picker and its text field (the one posted) follow each other.
  for (const picker of form.querySelectorAll("input[type=color][data-color-for]")) {
    const text = document.getElementById(picker.dataset.colorFor);
    const sync = () => { if (/^#[0-9a-f]{6}$/i.test(text.value.trim())) picker.value = text.value.trim().toLowerCase(); };
    sync();
    text.addEventListener("input", sync);
    picker.addEventListener("input", () => {
      text.value = picker.value;
      text.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  // Switching the theme takes the text colour along while it is the other theme's default (white on dark, ink on light).
  form.querySelector("[name='Form.Theme']")?.addEventListener("change", (event) => {
    const text = document.getElementById("Form_Style_TextColor");
    const [from, to] = event.target.value === "light" ? ["#ffffff", "#14171a"] : ["#14171a", "#ffffff"];
    if (text && text.value.trim().toLowerCase() === from) {
      text.value = to;
      text.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });

  // The frame has the Browser Source's size in pixels, scaled down to fit the card.
  function fit() {
    const choice = size.value === "custom" ? [width.value, height.value] : size.value.split("x");
    const [w, h] = choice.map((n) => Math.min(3840, Math.max(50, Number(n) || 100)));
    custom.hidden = size.value !== "custom";
    const scale = Math.min(1, stage.clientWidth / w);
    frame.width = String(w);
    frame.height = String(h);
    frame.style.transform = `scale(${scale})`;
    stage.style.height = `${Math.ceil(h * scale)}px`;
  }

  for (const control of [size, width, height]) control.addEventListener("input", fit);
  new ResizeObserver(fit).observe(stage);
  fit();
})();
