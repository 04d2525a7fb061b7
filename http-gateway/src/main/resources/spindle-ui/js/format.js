// How times, durations and sizes read in the tables.

const UNITS = [
  ['d', 86400000],
  ['h', 3600000],
  ['m', 60000],
  ['s', 1000],
];

/** "3m 12s", "850 ms": the two largest units. */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const parts = [];
  let rest = ms;
  for (const [unit, size] of UNITS) {
    if (rest >= size || parts.length > 0) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

export function since(iso, now = Date.now()) {
  return iso ? duration(now - Date.parse(iso)) : '';
}

/** How long a job ran: start to finish, or to now while it runs. */
export function runTime(job, now = Date.now()) {
  if (!job.started_at) return '';
  const end = job.finished_at ? Date.parse(job.finished_at) : now;
  return duration(end - Date.parse(job.started_at));
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

export function bytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = -1;
  do {
    v /= 1024;
    i++;
  } while (v >= 1024 && i < units.length - 1);
  return `${v.toFixed(1)} ${units[i]}`;
}

export function json(value) {
  return JSON.stringify(value, null, 2);
}
