// Intervals drawn as inline SVG: per metric, one row per arm pair with the paired mean delta as a point, its
// bootstrap 95 % interval as a bar and a line at zero; the win rate's Wilson interval on a 0–1 scale. No library;
// each chart carries its figures as text for screen readers.

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 560;
const ROW = 28;
const LABEL = 170;
const PAD = 12;
const AXIS = 18;

function el(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A number with at most four significant digits, for figures and axis ends. */
export function num(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return Number(v.toPrecision(4)).toString();
}

/**
 * The chart of one metric's comparisons, [{label, n, point, lower, upper}], on a shared scale that always shows zero.
 * {@code better} says which side is better ("higher": right), so the caption reads the right way round.
 */
export function deltaChart(metric, rows, better) {
  const drawn = rows.filter((r) => r.lower !== null && r.lower !== undefined);
  const lo = Math.min(0, ...drawn.map((r) => r.lower));
  const hi = Math.max(0, ...drawn.map((r) => r.upper));
  const span = hi - lo || 1;
  const x = (v) => LABEL + PAD + ((v - lo) / span) * (WIDTH - LABEL - 2 * PAD);
  const height = rows.length * ROW + AXIS + 4;
  const summary = rows.map((r) => r.lower === null || r.lower === undefined
    ? `${r.label}: no pairs yet`
    : `${r.label}: mean delta ${num(r.point)}, 95% interval ${num(r.lower)} to ${num(r.upper)}, n=${r.n}`).join('; ');
  const svg = el('svg', { viewBox: `0 0 ${WIDTH} ${height}`, class: 'intervals', role: 'img', 'data-metric': metric,
    'aria-label': `${metric}, candidate minus reference (${better} is better): ${summary}` });
  svg.append(el('title', {}, `${metric}: ${summary}`));
  svg.append(el('line', { x1: x(0), x2: x(0), y1: 0, y2: rows.length * ROW, class: 'zero' }));
  rows.forEach((r, i) => {
    const y = i * ROW + ROW / 2;
    const g = el('g', { class: 'interval-row', 'data-pair': r.label });
    g.append(el('text', { x: 0, y: y + 4, class: 'row-label' }, `${r.label} (n=${r.n})`));
    if (r.lower !== null && r.lower !== undefined) {
      g.append(el('line', { x1: x(r.lower), x2: x(r.upper), y1: y, y2: y, class: 'ci' }));
      g.append(el('line', { x1: x(r.lower), x2: x(r.lower), y1: y - 5, y2: y + 5, class: 'ci' }));
      g.append(el('line', { x1: x(r.upper), x2: x(r.upper), y1: y - 5, y2: y + 5, class: 'ci' }));
      g.append(el('circle', { cx: x(r.point), cy: y, r: 4, class: 'point' }));
    }
    svg.append(g);
  });
  const axisY = rows.length * ROW + AXIS - 4;
  // The scale's ends, and zero (which may be one of them).
  if (lo < 0) svg.append(el('text', { x: LABEL + PAD, y: axisY, class: 'axis', 'text-anchor': 'start' }, num(lo)));
  svg.append(el('text', { x: x(0), y: axisY, class: 'axis', 'text-anchor': 'middle' }, '0'));
  if (hi > 0) svg.append(el('text', { x: x(hi), y: axisY, class: 'axis', 'text-anchor': 'end' }, num(hi)));
  return svg;
}

/** The win rate with its Wilson interval on a fixed 0–1 scale, a line at one half (no better, no worse). */
export function winRateBar(label, rate, lower, upper) {
  const w = 200;
  const h = 16;
  const x = (v) => 4 + v * (w - 8);
  const text = rate === null || rate === undefined ? `${label}: no pairs` : `${label}: win rate ${num(rate)}, 95% Wilson interval ${num(lower)} to ${num(upper)}`;
  const svg = el('svg', { viewBox: `0 0 ${w} ${h}`, class: 'winrate', role: 'img', 'aria-label': text });
  svg.append(el('title', {}, text));
  svg.append(el('line', { x1: x(0), x2: x(1), y1: h / 2, y2: h / 2, class: 'track' }));
  svg.append(el('line', { x1: x(0.5), x2: x(0.5), y1: 2, y2: h - 2, class: 'zero' }));
  if (rate !== null && rate !== undefined) {
    svg.append(el('line', { x1: x(lower), x2: x(upper), y1: h / 2, y2: h / 2, class: 'ci' }));
    svg.append(el('circle', { cx: x(rate), cy: h / 2, r: 3.5, class: 'point' }));
  }
  return svg;
}
