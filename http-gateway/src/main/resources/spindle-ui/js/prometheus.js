// Reads the Prometheus text format of GET /metrics into samples, and sums them by name and labels.

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** [{name, labels, value}] of every sample line; comments and blank lines skipped. */
export function parse(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = line.match(LINE);
    if (!m) continue;
    const labels = {};
    for (const [, k, v] of (m[2] || '').matchAll(LABEL)) {
      labels[k] = v.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/** Sum of the samples named {@code name} whose labels include {@code match}. */
export function sum(samples, name, match = {}) {
  let total = 0;
  for (const s of samples) {
    if (s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v)) total += s.value;
  }
  return total;
}

/** Sums of the samples named {@code name}, grouped by the value of one label. */
export function byLabel(samples, name, label) {
  const groups = new Map();
  for (const s of samples) {
    if (s.name === name) groups.set(s.labels[label], (groups.get(s.labels[label]) || 0) + s.value);
  }
  return groups;
}
