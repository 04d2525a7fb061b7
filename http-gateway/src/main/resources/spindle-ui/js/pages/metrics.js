// Metrics at a glance: throughput and latency over the last minutes, from this node's GET /metrics.
// The dashboard samples the counters in the background from the moment it opens (startSampling) and
// the page charts the differences between samples, so the charts have history when the page opens.

import { getText } from '../api.js';
import { lineChart } from '../chart.js';
import { fill, h } from '../dom.js';
import { duration } from '../format.js';
import { every } from '../poll.js';
import { byLabel, parse, sum } from '../prometheus.js';

// Background sampling; the open page samples and redraws more often.
const SAMPLE_MS = 5000;
const REDRAW_MS = 2000;
// A reading younger than this is not taken again (background and page ticks coincide).
const FRESH_MS = 1500;
const WINDOW_MS = 10 * 60 * 1000;
const history = [];

/** Reads /metrics unless the last reading is fresh; keeps the last WINDOW_MS of readings. */
async function sample() {
  const now = Date.now();
  if (history.length && now - history[history.length - 1].t < FRESH_MS) return;
  history.push(reading(parse(await getText('/metrics')), now));
  while (history.length > 2 && history[0].t < now - WINDOW_MS) history.shift();
}

let sampling = null;

/** Starts the background sampler once; main.js calls it when the dashboard starts. */
export function startSampling() {
  if (!sampling) sampling = every(SAMPLE_MS, sample);
}

/** Stops it (signing out). */
export function stopSampling() {
  if (sampling) sampling();
  sampling = null;
}

/** One reading of the counters the charts need. */
function reading(samples, t) {
  return {
    t,
    submitted: sum(samples, 'spindle_jobs_submitted_total'),
    finished: byLabel(samples, 'spindle_jobs_finished_total', 'outcome'),
    runCount: sum(samples, 'spindle_job_run_seconds_count'),
    runSum: sum(samples, 'spindle_job_run_seconds_sum'),
    waitCount: sum(samples, 'spindle_job_submit_to_start_seconds_count'),
    waitSum: sum(samples, 'spindle_job_submit_to_start_seconds_sum'),
    requests: sum(samples, 'spindle_http_requests_total'),
    queueDepth: byLabel(samples, 'spindle_queue_depth', 'config'),
  };
}

/** Per-interval values between consecutive readings. */
function series(pick) {
  const points = [];
  for (let i = 1; i < history.length; i++) {
    const a = history[i - 1];
    const b = history[i];
    const v = pick(a, b, (b.t - a.t) / 1000);
    if (v !== null && Number.isFinite(v)) points.push({ t: b.t, v: Math.max(0, v) });
  }
  return points;
}

const total = (m) => [...m.values()].reduce((x, y) => x + y, 0);
const perSecond = (v) => `${v.toFixed(2)}/s`;
const seconds = (v) => duration(v * 1000);

export function renderMetrics(main) {
  const grid = h('div', { class: 'charts', id: 'charts' });
  const outcomes = h('tbody', { id: 'outcomes-body' });
  fill(main, h('h1', {}, 'Metrics'),
    h('p', { class: 'muted' }, `This node's counters, sampled every ${SAMPLE_MS / 1000} s while the dashboard is open (every ${REDRAW_MS / 1000} s on this page); the last ${WINDOW_MS / 60000} minutes.`),
    grid,
    h('section', { 'aria-labelledby': 'outcomes-title' }, h('h2', { id: 'outcomes-title' }, 'Outcomes since the node started'),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Outcome'), h('th', { scope: 'col' }, 'Jobs'))), outcomes)));

  return every(REDRAW_MS, async () => {
    await sample();
    const last = history[history.length - 1];
    fill(grid,
      card('Jobs submitted', series((a, b, s) => (b.submitted - a.submitted) / s), perSecond),
      card('Jobs finished', series((a, b, s) => (total(b.finished) - total(a.finished)) / s), perSecond),
      card('Mean run time', series((a, b) => (b.runCount > a.runCount ? (b.runSum - a.runSum) / (b.runCount - a.runCount) : null)), seconds),
      card('Mean wait to start', series((a, b) => (b.waitCount > a.waitCount ? (b.waitSum - a.waitSum) / (b.waitCount - a.waitCount) : null)), seconds),
      card('Queue depth (this node\'s configs)', history.map((r) => ({ t: r.t, v: total(r.queueDepth) })), (v) => String(Math.round(v))),
      card('HTTP requests', series((a, b, s) => (b.requests - a.requests) / s), perSecond));
    fill(outcomes, [...last.finished.entries()].sort().map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, String(v)))));
  });
}

function card(title, points, unit) {
  const last = points.length ? unit(points[points.length - 1].v) : '—';
  return h('figure', { class: 'card' }, h('figcaption', {}, title, ' ', h('strong', {}, last)), lineChart(points, title, unit));
}
