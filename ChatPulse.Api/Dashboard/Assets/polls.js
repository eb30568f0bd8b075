// ChatPulse polls on the dashboard and the dock: the running poll (or the result on the overlay) from the overlay
// socket's state frames (feed.js), its countdown on the server's clock, end/cancel/dismiss/show again, and the
// dashboard's results list. The start form is poll-form.js. API: docs/polls-dashboard.md.
window.ChatPulsePolls = (() => {
  "use strict";

  const root = document.querySelector("[data-polls]");
  if (!root) return null;
  const live = root.querySelector("[data-poll-live]");
  const message = root.querySelector("[data-poll-message]");
  const results = root.querySelector("[data-poll-results]");
  const api = "/api/dashboard/polls";
  let poll = null; // the PollView shown now, or null
  let offset = 0; // the server's clock minus ours, from the latest frame
  let builtFor = "";

  const el = (tag, attributes = {}, text) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const percent = (votes, total) => (total > 0 ? Math.round((votes / total) * 100) : 0) + "%";
  const winnersText = (view) => view.winners.length === 0 ? "No votes"
    : (view.winners.length > 1 ? "Tie: " : "Winner: ") + view.winners.map((i) => view.options[i]?.label).join(", ");

  function say(text, kind = "error") {
    message.textContent = text;
    message.dataset.kind = kind;
    message.hidden = !text;
  }

  /** POST with the page's antiforgery token; resolves to { status, body } (body null when not JSON). */
  async function post(url, body) {
    const token = root.querySelector("input[name=__RequestVerificationToken]")?.value ?? "";
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", RequestVerificationToken: token },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  }

  const refused = (answer, what) => answer.body?.detail || answer.body?.title || `${what} refused (${answer.status}).`;

  function show(view, serverTime) {
    if (serverTime) offset = serverTime - Date.now();
    const previous = poll;
    poll = view && !(view.state !== "running" && view.showUntil && view.showUntil <= Date.now() + offset) ? view : null;
    root.dataset.poll = poll ? poll.state : "none";
    render();
    // A poll ended or left (timer, another replica, the other page): the list gets its result.
    if (previous && previous.state === "running" && (!poll || poll.id !== previous.id || poll.state !== "running")) refreshResults();
  }

  function render() {
    if (!poll) {
      live.replaceChildren();
      live.hidden = true;
      builtFor = "";
      return;
    }
    const key = `${poll.id}/${poll.state}/${poll.options.length}`;
    if (key !== builtFor) build(key);
    const total = poll.totalVotes;
    live.querySelectorAll("[data-option]").forEach((row, i) => {
      const votes = poll.options[i]?.votes ?? 0;
      row.querySelector("[data-votes]").textContent = String(votes);
      row.querySelector("[data-percent]").textContent = percent(votes, total);
      row.querySelector("[data-fill]").style.width = percent(votes, total);
      row.classList.toggle("winner", poll.winners.includes(i));
    });
    live.querySelector("[data-total]").textContent = String(total);
    const winner = live.querySelector("[data-testid=poll-winner]");
    if (winner) winner.textContent = winnersText(poll);
    tick();
  }

  function build(key) {
    builtFor = key;
    const running = poll.state === "running";
    const box = el("div", { class: "poll-live", "data-testid": "poll-live", "data-state": poll.state, "data-poll-id": poll.id });
    box.append(el("p", { class: "poll-question", "data-testid": "poll-live-question" }, poll.question));
    const meta = el("p", { class: "poll-meta small" });
    meta.append(el("span", { "data-testid": "poll-countdown", role: "timer", "aria-label": "Time left" }), " · ",
      el("span", { "data-total": "", "data-testid": "poll-total" }), " votes · ",
      poll.rule === "last" ? "last vote counts" : "first vote stands");
    box.append(meta);
    const list = el("ol", { class: "poll-options" });
    poll.options.forEach((option) => {
      const row = el("li", { "data-option": "", "data-testid": "poll-live-option" });
      const head = el("div", { class: "poll-option-head" });
      head.append(el("span", { class: "poll-label" }, option.label), el("span", { class: "poll-trigger small muted" }, option.triggers.join(", ")),
        el("span", { class: "poll-count", "data-votes": "", "data-testid": "poll-live-votes" }), el("span", { class: "poll-count muted", "data-percent": "" }));
      const track = el("div", { class: "poll-track" });
      track.append(el("div", { class: "poll-fill", "data-fill": "" }));
      row.append(head, track);
      list.append(row);
    });
    box.append(list);
    const actions = el("div", { class: "actions poll-actions" });
    if (running) {
      actions.append(el("button", { type: "button", class: "button primary", "data-act": "end", "data-testid": "poll-end" }, "End now"),
        el("button", { type: "button", class: "button danger", "data-act": "cancel", "data-testid": "poll-cancel" }, "Cancel poll"));
    } else {
      box.append(el("p", { class: "poll-winner", "data-testid": "poll-winner", role: "status" }));
      actions.append(el("button", { type: "button", class: "button", "data-act": "dismiss", "data-testid": "poll-dismiss" }, "Dismiss from overlay"));
    }
    box.append(actions);
    live.replaceChildren(box);
    live.hidden = false;
  }

  function tick() {
    const countdown = live.querySelector("[data-testid=poll-countdown]");
    if (!poll || !countdown) return;
    const now = Date.now() + offset;
    if (poll.state !== "running") {
      if (poll.showUntil && poll.showUntil <= now) return show(null);
      countdown.textContent = poll.state === "cancelled" ? "Cancelled" : "Ended";
    } else if (poll.endsAt == null) {
      countdown.textContent = "Open until ended";
    } else {
      const left = Math.max(0, Math.ceil((poll.endsAt - now) / 1000));
      countdown.textContent = left === 0 ? "Ending…" : `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")} left`;
      countdown.dataset.seconds = String(left);
    }
  }

  async function act(name, id) {
    const url = name === "dismiss" ? `${api}/dismiss` : `${api}/${encodeURIComponent(id)}/${name}`;
    let answer;
    try {
      answer = await post(url);
    } catch {
      return say("ChatPulse did not answer. Please try again in a moment.");
    }
    if (answer.status === 200 || answer.status === 204) {
      say("");
      if (name === "cancel" || name === "dismiss") show(null);
      else if (answer.body) show(answer.body); // an end refreshes the list through show()
      return;
    }
    say(refused(answer, name === "show" ? "Showing the result" : "That"));
    if (answer.status === 409 && answer.body?.poll) show(answer.body.poll);
  }

  root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-act]");
    if (!button) return;
    const id = button.closest("[data-poll-id]")?.dataset.pollId;
    act(button.dataset.act, id);
  });

  // The dashboard's results list, newest first (the same markup the server renders in Components/Polls/Default.cshtml).
  async function refreshResults() {
    if (!results) return;
    try {
      const response = await fetch(`${api}?limit=20`, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      const answer = await response.json();
      results.replaceChildren(...answer.polls.map(result));
      root.querySelector("[data-poll-results-empty]").hidden = answer.polls.length > 0;
    } catch {
      // keep the list as it was: the next end refreshes it
    }
  }

  function result(item) {
    const row = el("li", { class: "poll-result", "data-testid": "poll-result", "data-poll-id": item.id, "data-status": item.status });
    const head = el("div", { class: "poll-result-head" });
    head.append(el("strong", {}, item.question), el("span", { class: `badge ${item.status}` }, item.status));
    const when = el("time", { datetime: new Date(item.startedAt).toISOString() }, new Date(item.startedAt).toLocaleString());
    const meta = el("p", { class: "small muted" });
    const winners = item.status === "ended" ? winnersText(item) : item.status === "running" ? "Running" : "Cancelled";
    meta.append(when, ` · ${item.totalVotes} votes · `, el("span", { "data-testid": "poll-result-winner" }, winners));
    const options = el("ul", { class: "poll-result-options" });
    item.options.forEach((option, i) => {
      const line = el("li", item.status === "ended" && item.winners.includes(i) ? { class: "winner" } : {});
      line.append(el("span", {}, option.label), el("span", { class: "small" }, `${option.votes} (${percent(option.votes, item.totalVotes)})`),
        el("meter", { min: "0", max: String(Math.max(1, item.totalVotes)), value: String(option.votes), "aria-label": `${option.label}: votes` }));
      options.append(line);
    });
    row.append(head, meta, options);
    if (item.status === "ended") {
      row.append(el("button", { type: "button", class: "button", "data-act": "show", "data-testid": "poll-show" }, "Show again on the overlay"));
    }
    return row;
  }

  // Times the server wrote in UTC, in the streamer's own clock.
  results?.querySelectorAll("time[datetime]").forEach((time) => { time.textContent = new Date(time.dateTime).toLocaleString(); });

  setInterval(tick, 250);
  if (window.ChatPulseFeed) {
    window.ChatPulseFeed.follow(root.dataset.overlayId, {
      state: (frame) => { if ("poll" in frame) show(frame.poll, frame.serverTime); },
    });
  }

  return { post, show, say, refused };
})();
