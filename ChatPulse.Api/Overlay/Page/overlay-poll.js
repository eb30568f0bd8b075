'use strict';
// The poll over the mood bar (docs/overlay-styles.md#polls-on-the-overlay): the question, one bar per option with its
// votes and percentage, the total, the countdown from the server's clock, then the winners; the page hides a result
// itself at its showUntil (the server sends nothing then). The mood bar keeps counting in the strip under it.
const overlayPoll = (() => {
  const root = document.documentElement;
  const list = document.getElementById('poll-options');
  let view = null;
  let offset = 0; // the server's clock minus this one, from the last frame's serverTime
  let drawn = ''; // the options' labels, triggers and colours as built, to rebuild only when they change
  let tickTimer = 0;
  let hideTimer = 0;

  const serverNow = () => Date.now() + offset;
  const two = (n) => String(n).padStart(2, '0');
  const clock = (seconds) => two(Math.floor(seconds / 60)) + ':' + two(seconds % 60);
  const over = (v) => v.state !== 'running' && v.showUntil !== null && v.showUntil !== undefined && v.showUntil <= serverNow();

  /** A state frame arrived: its poll (or none) over the mood bar. */
  function apply(frame) {
    if (typeof frame.serverTime === 'number' && frame.serverTime > 0) offset = frame.serverTime - Date.now();
    const next = frame.poll && overlayLook.current().poll !== false ? frame.poll : null;
    show(next && !over(next) ? next : null);
  }

  function show(next) {
    view = next;
    clearTimeout(hideTimer);
    clearTimeout(tickTimer);
    root.dataset.poll = view ? 'shown' : 'hidden';
    if (!view) {
      root.dataset.pollState = '';
      return;
    }

    root.dataset.pollState = view.state;
    build(overlayLook.current());
    fill();
    tick();
    if (view.state !== 'running' && view.showUntil !== null && view.showUntil !== undefined) {
      hideTimer = setTimeout(() => show(null), Math.max(0, view.showUntil - serverNow()));
    }
  }

  // One <li> per option: its first trigger, label, percentage, votes and bar, coloured from the look.
  function build(look) {
    const colours = optionColours(view.options.length, look.for, look.against);
    const key = JSON.stringify([view.id, view.options.map((o) => [o.label, o.triggers]), colours]);
    if (key === drawn) return;
    drawn = key;
    list.replaceChildren(...view.options.map((option, i) => {
      const item = element('li', 'option');
      item.style.setProperty('--c', colours[i]);
      const text = element('span', 'option-text');
      text.append(element('span', 'key', (option.triggers && option.triggers[0]) || String(i + 1)), element('span', 'name', option.label),
        element('span', 'percent'), element('span', 'votes'));
      const track = element('div', 'poll-track');
      track.append(element('div', 'fill'));
      item.append(text, track);
      return item;
    }));
  }

  function fill() {
    const total = view.options.reduce((sum, o) => sum + Number(o.votes), 0);
    const winners = view.state === 'running' ? [] : view.winners || [];
    [...list.children].forEach((item, i) => {
      const votes = Number(view.options[i].votes);
      const share = total > 0 ? (votes / total) * 100 : 0;
      item.querySelector('.fill').style.width = share.toFixed(2) + '%';
      item.querySelector('.percent').textContent = Math.round(share) + '%';
      item.querySelector('.votes').textContent = '(' + votes + ')';
      item.dataset.winner = String(winners.includes(i));
    });
    document.getElementById('poll-question').textContent = view.question;
    document.getElementById('poll-total').textContent = view.totalVotes + (view.totalVotes === 1 ? ' vote' : ' votes');
    root.dataset.pollWinners = winners.join(',');
  }

  // mm:ss left, moved on each second of the server's clock; an open poll shows none, a result "final".
  function tick() {
    const text = document.getElementById('poll-clock');
    if (view.state !== 'running') {
      text.textContent = 'final';
    } else if (view.endsAt === null || view.endsAt === undefined) {
      text.textContent = '';
    } else {
      const left = Math.max(0, view.endsAt - serverNow());
      text.textContent = clock(Math.ceil(left / 1000));
      if (left > 0) tickTimer = setTimeout(tick, (left % 1000) + 20);
    }
  }

  function element(tag, className, text) {
    const e = document.createElement(tag);
    e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /** The streamer's two colours, then for each further option the hue farthest from those taken, in their saturation and lightness. */
  function optionColours(count, first, second) {
    const base = [hsl(first), hsl(second)];
    const saturation = Math.min(0.9, Math.max(0.55, (base[0].s + base[1].s) / 2));
    const lightness = Math.min(0.62, Math.max(0.45, (base[0].l + base[1].l) / 2));
    const hues = base.map((c) => c.h);
    const colours = [first, second];
    const distance = (a, b) => Math.min(Math.abs(a - b), 360 - Math.abs(a - b));
    for (let i = 2; i < count; i++) {
      let best = 0;
      for (let h = 0; h < 360; h += 5) {
        if (Math.min(...hues.map((u) => distance(h, u))) > Math.min(...hues.map((u) => distance(best, u)))) best = h;
      }
      hues.push(best);
      colours.push(hex(best, saturation, lightness));
    }
    return colours.slice(0, count);
  }

  function hsl(colour) {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16) / 255);
    const max = Math.max(r, g, b);
    const min = Math.min(r, g, b);
    const l = (max + min) / 2;
    const d = max - min;
    if (d === 0) return { h: 0, s: 0, l };
    const s = d / (1 - Math.abs(2 * l - 1));
    const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
    return { h: (h * 60 + 360) % 360, s, l };
  }

  function hex(h, s, l) {
    const c = (1 - Math.abs(2 * l - 1)) * s;
    const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
    const [r, g, b] = h < 60 ? [c, x, 0] : h < 120 ? [x, c, 0] : h < 180 ? [0, c, x] : h < 240 ? [0, x, c] : h < 300 ? [x, 0, c] : [c, 0, x];
    return '#' + [r, g, b].map((v) => two(Math.round((v + l - c / 2) * 255).toString(16))).join('');
  }

  // A new look (a saved style pushed, the preview's edits, a poll=0 override): the same poll in it.
  overlayLook.watch((look) => {
    if (!view) return;
    if (look.poll === false) {
      show(null);
    } else {
      build(look);
      fill();
    }
  });

  root.dataset.poll = 'hidden';
  return { apply };
})();
