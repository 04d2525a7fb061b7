// A small line chart as inline SVG: no library, labelled for screen readers.

const WIDTH = 320;
const HEIGHT = 80;
const PAD = 4;
const SVG = 'http://www.w3.org/2000/svg';

/**
 * @param points [{t, v}] oldest first (t in ms)
 * @param label what the chart shows, e.g. "Jobs finished per second"
 * @param unit how the last value reads, e.g. v => `${v.toFixed(1)}/s`
 */
export function lineChart(points, label, unit) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('class', 'chart');
  svg.setAttribute('role', 'img');
  const last = points.length ? points[points.length - 1].v : null;
  const max = Math.max(0, ...points.map((p) => p.v));
  const title = document.createElementNS(SVG, 'title');
  title.textContent = `${label}: ${last === null ? 'no data yet' : unit(last)} now, peak ${unit(max)} over the last ${points.length} samples`;
  svg.append(title);
  svg.setAttribute('aria-label', title.textContent);
  if (points.length >= 2) {
    const t0 = points[0].t;
    const span = Math.max(1, points[points.length - 1].t - t0);
    const top = max > 0 ? max : 1;
    const xy = points.map((p) => [
      PAD + ((p.t - t0) / span) * (WIDTH - 2 * PAD),
      HEIGHT - PAD - (p.v / top) * (HEIGHT - 2 * PAD),
    ]);
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', xy.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' '));
    line.setAttribute('class', 'line');
    svg.append(line);
  }
  return svg;
}
