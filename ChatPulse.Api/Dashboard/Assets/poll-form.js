// ChatPulse polls: the start form on the dashboard and the dock. Option rows (2–6; triggers default to the row's
// number while untouched), the body of POST /api/dashboard/polls, and each 400 error next to its field; what the
// streamer typed stays in the form whatever the answer.
(() => {
  "use strict";

  const polls = window.ChatPulsePolls;
  const form = document.querySelector("form[data-poll-form]");
  if (!polls || !form) return;
  const rows = form.querySelector("[data-poll-options]");
  const template = form.querySelector("template[data-poll-option-template]");
  const add = form.querySelector("[data-poll-add]");
  const MIN = 2, MAX = 6;

  const optionRows = () => [...rows.querySelectorAll("[data-poll-option]")];

  // Row numbers, ids and default triggers after an add or a remove; a trigger the streamer edited keeps its value.
  function renumber() {
    optionRows().forEach((row, i) => {
      const n = String(i + 1);
      row.querySelectorAll("[data-n]").forEach((node) => { node.textContent = n; });
      for (const input of row.querySelectorAll("input[data-field]")) {
        input.id = `poll-option-${i}-${input.dataset.field}`;
        input.dataset.testid = `poll-option-${input.dataset.field}-${i}`;
        row.querySelector(`label[data-for=${input.dataset.field}]`)?.setAttribute("for", input.id);
      }
      const triggers = row.querySelector("input[data-field=triggers]");
      if (triggers && triggers.value === triggers.dataset.default) triggers.value = n;
      if (triggers) triggers.dataset.default = n;
      if (!triggers) row.dataset.trigger = n;
      row.querySelector("[data-poll-remove]")?.setAttribute("aria-label", `Remove option ${n}`);
    });
    const count = optionRows().length;
    if (add) add.disabled = count >= MAX;
    rows.querySelectorAll("[data-poll-remove]").forEach((button) => { button.disabled = count <= MIN; });
  }

  add?.addEventListener("click", () => {
    if (optionRows().length >= MAX) return;
    rows.append(template.content.cloneNode(true));
    renumber();
    optionRows().at(-1).querySelector("input[data-field=label]").focus();
  });
  rows.addEventListener("click", (event) => {
    const button = event.target.closest("[data-poll-remove]");
    if (!button || optionRows().length <= MIN) return;
    button.closest("[data-poll-option]").remove();
    renumber();
  });

  const value = (name) => form.elements.namedItem(name)?.value ?? "";
  const checked = (name) => form.elements.namedItem(name)?.checked === true;
  const seconds = (name) => { const n = Number.parseInt(value(name), 10); return Number.isNaN(n) ? 0 : n; };

  // The dock leaves out empty rows (four are offered); the dashboard sends every row, so an empty label is named.
  function body() {
    const sent = optionRows().filter((row) => !("skipEmpty" in form.dataset) || row.querySelector("input[data-field=label]").value.trim() !== "");
    const options = sent.map((row) => {
      const triggers = row.querySelector("input[data-field=triggers]");
      return {
        label: row.querySelector("input[data-field=label]").value,
        triggers: triggers ? triggers.value.split(",").map((t) => t.trim()).filter((t) => t !== "") : [row.dataset.trigger],
      };
    });
    const duration = value("durationSeconds");
    return {
      sent,
      request: {
        question: value("question"),
        options,
        durationSeconds: checked("open") || duration === "open" ? null : seconds("durationSeconds"),
        rule: value("rule") || "first",
        resultSeconds: checked("keepResult") ? null : seconds("resultSeconds"),
      },
    };
  }

  function clearErrors() {
    form.querySelectorAll("[data-error-for]").forEach((span) => { span.textContent = ""; });
    form.querySelectorAll(".input-validation-error").forEach((input) => {
      input.classList.remove("input-validation-error");
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    });
  }

  // "options[1].label" → the second sent row's label; unknown keys go to the form's own line.
  function showErrors(errors, sent) {
    const other = [];
    for (const [key, messages] of Object.entries(errors)) {
      const text = [].concat(messages).join(" ");
      const match = /^options\[(\d+)\]\.(label|triggers)$/i.exec(key);
      const name = match ? match[2].toLowerCase() : key.charAt(0).toLowerCase() + key.slice(1);
      const row = match ? sent[Number(match[1])] : form;
      const place = row?.querySelector(`[data-error-for="${name}"]`);
      if (!place) { other.push(text); continue; }
      place.textContent = text;
      // The field itself (the dock's rule and result time are fixed: no field to mark; "options" is the whole list).
      const input = match ? row.querySelector(`input[data-field=${name}]`) : form.elements.namedItem(name);
      if (!(input instanceof HTMLInputElement || input instanceof HTMLSelectElement) || input.type === "hidden") continue;
      place.id ||= `${input.id}-error`;
      input.classList.add("input-validation-error");
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", place.id);
    }
    return other;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors();
    const { sent, request } = body();
    const start = form.querySelector("[type=submit]");
    start.disabled = true;
    let answer;
    try {
      answer = await polls.post(form.action, request);
    } catch {
      polls.say("ChatPulse did not answer, so no poll was started. Please try again in a moment.");
      return;
    } finally {
      start.disabled = false;
    }
    if (answer.status === 201 && answer.body) {
      polls.say(answer.body.overlaysConnected === 0 ? answer.body.notice || "No overlay is connected: votes count once one is." : "",
        "notice");
      polls.show(answer.body);
      return;
    }
    if (answer.status === 400 && answer.body?.errors) {
      const other = showErrors(answer.body.errors, sent);
      polls.say(other.length > 0 ? other.join(" ") : "The poll was not started: please fix the fields marked below.");
      form.querySelector("[aria-invalid=true]")?.focus();
      return;
    }
    polls.say(polls.refused(answer, "Starting the poll"));
  });

  renumber();
  form.hidden = false; // without JavaScript the form stays hidden: it posts JSON
})();
