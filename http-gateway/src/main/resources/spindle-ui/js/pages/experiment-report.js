// An experiment's report as the experiment page draws it: per metric, the paired mean delta of every arm pair with
// its bootstrap 95 % interval (an SVG), the figures behind it with their n, win/tie/loss with the Wilson interval of
// the win rate; per arm, latency p50/p95 and the error rate.

import { fill, h } from '../dom.js';
import { duration } from '../format.js';
import { deltaChart, num, winRateBar } from '../intervals.js';

function pct(v) {
  return v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)} %`;
}

function ms(v) {
  return v === null || v === undefined ? '—' : duration(v);
}

export function renderReport(div, report) {
  const byMetric = new Map();
  for (const c of report.comparisons) {
    if (!byMetric.has(c.metric)) byMetric.set(c.metric, []);
    byMetric.get(c.metric).push(c);
  }
  const metrics = [...byMetric.entries()].map(([metric, comparisons]) => {
    const better = comparisons[0].direction;
    const rows = comparisons.map((c) => ({
      label: `${c.candidate} − ${c.reference}`,
      n: c.comparison.n,
      point: c.comparison.mean_delta,
      lower: c.comparison.mean_delta_interval ? c.comparison.mean_delta_interval.lower : null,
      upper: c.comparison.mean_delta_interval ? c.comparison.mean_delta_interval.upper : null,
    }));
    return h('section', { class: 'metric', dataset: { metric }, 'aria-labelledby': `metric-${metric}` },
      h('h3', { id: `metric-${metric}` }, metric, h('span', { class: 'muted' }, ` (${better} is better; scorer ${comparisons[0].scorer})`)),
      h('figure', { class: 'interval-figure' }, deltaChart(metric, rows, better),
        h('figcaption', { class: 'note' }, 'Point: mean of the paired deltas (candidate − reference); bar: bootstrap 95 % interval; line: zero.')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'report-table' },
        h('caption', { class: 'visually-hidden' }, `${metric} per arm pair`),
        h('thead', {}, h('tr', {}, ['Pair', 'n', 'Reference mean', 'Candidate mean', 'Mean delta', '95 % interval', 'Win / tie / loss', 'Win rate (Wilson 95 %)']
          .map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, comparisons.map((c) => {
          const k = c.comparison;
          const w = k.win_rate_interval || {};
          return h('tr', { dataset: { pair: `${c.candidate}-${c.reference}` } },
            h('th', { scope: 'row' }, `${c.candidate} vs ${c.reference}`),
            h('td', { dataset: { field: 'n' } }, String(k.n)),
            h('td', {}, num(k.baseline_mean)),
            h('td', {}, num(k.candidate_mean)),
            h('td', {}, num(k.mean_delta)),
            h('td', {}, k.mean_delta_interval ? `[${num(k.mean_delta_interval.lower)}, ${num(k.mean_delta_interval.upper)}]` : '—'),
            h('td', {}, `${k.wins} / ${k.ties} / ${k.losses}`),
            h('td', { class: 'winrate-cell' }, winRateBar(`${c.candidate} vs ${c.reference}`, k.win_rate, w.lower, w.upper),
              ` ${num(k.win_rate)} [${num(w.lower)}, ${num(w.upper)}]`));
        })))));
  });
  const arms = h('div', { class: 'table-wrap' }, h('table', { id: 'report-arms' },
    h('caption', {}, 'How each arm ran'),
    h('thead', {}, h('tr', {}, ['Arm', 'Finished jobs (n)', 'Failed', 'Error rate', 'Run time p50', 'Run time p95'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, report.arms.map((a) => h('tr', { dataset: { arm: a.arm } },
      h('th', { scope: 'row' }, a.arm),
      h('td', {}, String(a.latency.jobs)),
      h('td', {}, String(a.latency.failed)),
      h('td', {}, pct(a.latency.error_rate)),
      h('td', {}, ms(a.latency.p50_millis)),
      h('td', {}, ms(a.latency.p95_millis)))))));
  fill(div,
    h('p', { class: 'muted' }, `${report.sources} sources; ${report.pending_jobs} jobs still to run. Recomputed from the experiment's events on every read.`),
    metrics.length ? metrics : h('p', { class: 'muted' }, 'No scorers: nothing to compare.'),
    arms);
}
