// The mood timeline's hover (Pages/Shared/Components/Timeline): the point nearest the pointer, or picked with the
// arrow keys, gets a cursor line and a tip with its time and numbers. The chart itself is server-rendered SVG.
(() => {
  'use strict';
  const chart = document.querySelector(".timeline-chart");
  const tip = document.querySelector('.timeline-tip');
  if (!chart || !tip) return;
  const points = JSON.parse(chart.dataset.points || '[]');
  const start = Number(chart.dataset.start), end = Number(chart.dataset.end);
  const left = Number(chart.dataset.left), right = Number(chart.dataset.right);
  const width = chart.viewBox.baseVal.width;
  const cursor = chart.querySelector('.timeline-cursor');
  const two = n => String(n).padStart(2, '0');
  // UTC, as the axis, the stream list and the exports: one clock on the whole card.
  const time = ms => { const d = new Date(ms); return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC`; };
  const x = ms => left + (end > start ? (ms - start) / (end - start) : 0) * (right - left);
  let current = -1;

  const show = index => {
    if (points.length === 0) return;
    current = Math.max(0, Math.min(points.length - 1, index));
    const [at, votesFor, votesAgainst, votes, perSecond] = points[current];
    const total = votesFor + votesAgainst;
    const share = total === 0 ? 50 : Math.round(votesFor / total * 100);
    tip.textContent = `${time(at)} · for ${votesFor} · against ${votesAgainst} · ${share} % for · ${votes} votes (${perSecond} /s)`;
    tip.dataset.at = new Date(at).toISOString();
    tip.hidden = false;
    tip.style.left = `${x(at) / width * 100}%`;
    cursor.setAttribute('x1', x(at));
    cursor.setAttribute('x2', x(at));
    cursor.setAttribute('visibility', 'visible');
  };

  const hide = () => {
    tip.hidden = true;
    cursor.setAttribute('visibility', 'hidden');
  };

  const nearest = clientX => {
    const box = chart.getBoundingClientRect();
    const ms = start + ((clientX - box.left) / box.width * width - left) / (right - left) * (end - start);
    let best = 0;
    points.forEach(([at], i) => { if (Math.abs(at - ms) < Math.abs(points[best][0] - ms)) best = i; });
    return best;
  };

  chart.addEventListener('pointermove', e => show(nearest(e.clientX)));
  chart.addEventListener('pointerleave', hide);
  chart.addEventListener('blur', hide);
  chart.addEventListener('focus', () => show(current < 0 ? points.length - 1 : current));
  chart.addEventListener('keydown', e => {
    const step = { ArrowLeft: -1, ArrowRight: 1, Home: -points.length, End: points.length }[e.key];
    if (step === undefined) return;
    e.preventDefault();
    show(current + step);
  });
})();
