'use strict';
// The overlay's look: the saved style of each state frame, under the dashboard preview's unsaved edits, under the
// URL's query-string overrides (docs/overlay-styles.md); an override that does not parse is ignored. Also the
// accent when votes land and "hide when idle".
const overlayLook = (() => {
  const root = document.documentElement;
  const ACCENT_MS = 450;
  const names = (...values) => (v) => (values.includes(v.toLowerCase()) ? v.toLowerCase() : undefined);
  const color = (v) => (/^#?[0-9a-f]{6}$/i.test(v) ? '#' + v.replace('#', '').toLowerCase() : undefined);
  const flag = (v) => (/^(true|1|yes|on)$/i.test(v) ? true : /^(false|0|no|off)$/i.test(v) ? false : undefined);
  const whole = (min, max) => (v) => (/^\d{1,5}$/.test(v) && Number(v) >= min && Number(v) <= max ? Number(v) : undefined);
  const label = (v) => (v.length <= 50 && !/[\u0000-\u001f\u007f-\u009f]/.test(v) ? v : undefined);
  const word = (v) => (v.length >= 1 && v.length <= 100 && !/[\u0000-\u001f\u007f-\u009f]/.test(v) ? v : undefined);
  const first = (list) => (Array.isArray(list) && list.length > 0 ? String(list[0]) : undefined);
  const shape = (v) => ({ bar: 'combined', combined: 'combined', split: 'split', ring: 'ring' })[names('bar', 'combined', 'split', 'ring')(v)];
  const PARAMETERS = {
    style: shape,
    theme: names('dark', 'light'),
    for: color,
    against: color,
    text: color,
    font: names('sans', 'serif', 'mono', 'rounded', 'condensed'),
    position: names('above', 'below', 'inside'),
    labels: flag,
    percent: flag,
    votes: flag,
    radius: whole(0, 50),
    idle: whole(0, 3600),
    forLabel: label,
    againstLabel: label,
    triggers: flag,
    forTrigger: word,
    againstTrigger: word,
    poll: flag, // poll=0: this overlay never shows polls (e.g. a second scene)
  };
  // Today's look, for a frame without a style (or a value that does not parse).
  const DEFAULTS = {
    style: 'combined', theme: 'dark', for: '#2ecc71', against: '#e74c3c', text: '#ffffff', font: 'sans', position: 'above',
    labels: true, percent: true, votes: false, radius: 30, idle: 0, forLabel: '', againstLabel: '',
    triggers: false, forTrigger: '', againstTrigger: '', poll: true,
  };

  const fromUrl = parse(new URLSearchParams(location.search));
  let fromPreview = {};
  let state = null;
  let look = { ...DEFAULTS, ...fromUrl };
  let lastVoteAt = performance.now();
  let idleTimer = 0;
  let accents = 0;
  let onRefresh = () => {};

  /** The overrides a query string names, each kept only when it parses. */
  function parse(params) {
    const values = {};
    for (const [name, read] of Object.entries(PARAMETERS)) {
      const raw = params.get(name);
      const value = raw === null ? undefined : read(raw.trim());
      if (value !== undefined) values[name] = value;
    }
    return values;
  }

  function saved(frame) {
    const s = frame.style || {};
    const values = {
      style: frame.displayMode, theme: frame.theme, for: s.forColor, against: s.againstColor, text: s.textColor, font: s.font,
      position: s.labelPosition, labels: s.showLabels, percent: s.showPercentages, votes: s.showVotes, radius: s.cornerRadius,
      idle: s.hideWhenIdleSeconds, forLabel: frame.forLabel, againstLabel: frame.againstLabel,
      triggers: frame.showTriggers, forTrigger: first(frame.forTriggers), againstTrigger: first(frame.againstTriggers),
    };
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== null) params.set(name, String(value));
    return parse(params);
  }

  function bind(name, text) {
    for (const element of document.querySelectorAll(`[data-bind="${name}"]`)) element.textContent = text;
  }

  function refresh() {
    look = { ...DEFAULTS, ...(state ? saved(state) : {}), ...fromPreview, ...fromUrl };
    Object.assign(root.dataset, {
      mode: look.style, theme: look.theme, font: look.font, position: look.position,
      showLabels: String(look.labels), showPercentages: String(look.percent), showVotes: String(look.votes),
    });
    root.style.setProperty('--for', look.for);
    root.style.setProperty('--against', look.against);
    root.style.setProperty('--text', look.text);
    root.style.setProperty('--radius', String(look.radius));
    bind('forLabel', look.forLabel);
    bind('againstLabel', look.againstLabel);
    showTriggers();
    if (state) {
      bind('forVotes', '(' + state.forVotes + ')');
      bind('againstVotes', '(' + state.againstVotes + ')');
    }
    armIdle();
    onRefresh(look);
  }

  // "type yes or no": the first trigger of each side (the ones the streamer listed first), when turned on.
  function showTriggers() {
    const shown = look.triggers === true && look.forTrigger !== '' && look.againstTrigger !== '';
    const line = document.getElementById('triggers');
    line.textContent = shown ? 'type ' + look.forTrigger + ' or ' + look.againstTrigger : '';
    line.hidden = !shown;
    root.dataset.triggers = shown ? 'shown' : 'hidden';
  }

  // Fades out `idle` seconds after the last vote (0: never); the next vote wakes it.
  function armIdle() {
    clearTimeout(idleTimer);
    const left = look.idle * 1000 - (performance.now() - lastVoteAt);
    if (look.idle <= 0) {
      root.dataset.asleep = 'false';
    } else if (left <= 0) {
      root.dataset.asleep = 'true';
    } else {
      root.dataset.asleep = 'false';
      idleTimer = setTimeout(armIdle, left);
    }
  }

  function accent(side) {
    accents += 1;
    root.dataset.accents = String(accents);
    const targets = side === 'for' ? '.fill.for, .arc.for' : '.fill.against, .arc.against, .combined .track';
    for (const element of document.querySelectorAll(targets)) {
      if (element.animate) {
        element.animate([{ filter: 'brightness(1.7) saturate(1.2)' }, { filter: 'none' }], { duration: ACCENT_MS, easing: 'ease-out' });
      }
    }
  }

  /** A state frame arrived: its saved style, and an accent for each side that gained votes. */
  function apply(frame) {
    const previous = state;
    state = frame;
    if (previous) {
      const gainedFor = frame.forVotes > previous.forVotes;
      const gainedAgainst = frame.againstVotes > previous.againstVotes;
      if (gainedFor) accent('for');
      if (gainedAgainst) accent('against');
      if (gainedFor || gainedAgainst) lastVoteAt = performance.now();
    }
    refresh();
  }

  /** Draws the eased ratio into every style's elements. */
  function draw(ratio) {
    const forWidth = (ratio * 100).toFixed(2);
    document.getElementById('for-fill').style.width = forWidth + '%';
    document.getElementById('split-for-fill').style.width = forWidth + '%';
    document.getElementById('split-against-fill').style.width = (100 - forWidth).toFixed(2) + '%';
    document.getElementById('ring-for').style.strokeDasharray = forWidth + ' 100';
    document.getElementById('poll-mood-fill').style.width = forWidth + '%'; // the mood strip under a poll
    bind('forPercent', Math.round(ratio * 100) + '%');
    bind('againstPercent', (100 - Math.round(ratio * 100)) + '%');
  }

  // The dashboard's preview (the same origin framing this page) sends its unsaved form as a query string.
  if (window.parent !== window) {
    window.addEventListener('message', (event) => {
      if (event.origin !== location.origin || event.source !== window.parent) return;
      if (!event.data || event.data.type !== 'chatpulse:preview' || typeof event.data.query !== 'string') return;
      fromPreview = parse(new URLSearchParams(event.data.query));
      refresh();
    });
    window.parent.postMessage({ type: 'chatpulse:overlay-ready' }, location.origin);
  }

  refresh();
  /** The effective look now; `watch` hears every change of it (the poll redraws its colours). */
  return { apply, draw, current: () => look, watch: (listener) => { onRefresh = listener; } };
})();
