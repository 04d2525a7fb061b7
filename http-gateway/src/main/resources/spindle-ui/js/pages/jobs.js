// Jobs: the live table, its filters and cursor paging. Polls the current page every two seconds.

import { getJson, query } from '../api.js';
import { fill, h, statusBadge } from '../dom.js';
import { runTime, since, time } from '../format.js';
import { every } from '../poll.js';

const INTERVAL_MS = 2000;
const PAGE_SIZE = 25;
const STATUSES = ['queued', 'leased', 'running', 'succeeded', 'failed', 'canceled', 'dead_lettered'];
// The time filter: how far back `since` reaches, in minutes (0: no bound); BETWEEN shows the From / To fields.
const BETWEEN = 'between';
const WINDOWS = [['any time', 0], ['last 5 minutes', 5], ['last hour', 60], ['last 24 hours', 1440], ['last 7 days', 10080],
  ['between…', BETWEEN]];

export function renderJobs(main, params) {
  const filters = {
    status: params.get('status') || '',
    type: params.get('type') || '',
    config_id: params.get('config_id') || '',
    label: params.get('label') || '',
    // A link may give since / until (ISO instants) instead of a window.
    window: params.get('since') || params.get('until') ? BETWEEN : Number(params.get('window') || 0),
    since: params.get('since') || '',
    until: params.get('until') || '',
  };
  // Cursors of the pages before the current one; the last entry is the current page's cursor.
  const cursors = [null];
  let next = null;

  const status = h('select', { id: 'f-status', name: 'status' },
    h('option', { value: '' }, 'any status'), STATUSES.map((s) => h('option', { value: s }, s.replaceAll('_', ' '))));
  status.value = filters.status;
  const type = h('input', { id: 'f-type', name: 'type', type: 'text', placeholder: 'e.g. cpu.echo', value: filters.type });
  const config = h('input', { id: 'f-config', name: 'config_id', type: 'text', placeholder: 'e.g. echo-java', value: filters.config_id });
  const label = h('input', {
    id: 'f-label', name: 'label', type: 'text', placeholder: 'e.g. team:vision', value: filters.label,
    pattern: '[A-Za-z][A-Za-z0-9_.\\-\\/]*:.*', title: 'key:value, e.g. team:vision',
  });
  const windowSelect = h('select', { id: 'f-window', name: 'window' }, WINDOWS.map(([text, minutes]) => h('option', { value: minutes }, text)));
  windowSelect.value = String(filters.window);
  const from = h('input', { id: 'f-since', name: 'since', type: 'datetime-local', step: 1, value: localInput(filters.since) });
  const to = h('input', { id: 'f-until', name: 'until', type: 'datetime-local', step: 1, value: localInput(filters.until) });
  const between = [field('From', from), field('To', to)];
  const showBetween = () => between.forEach((f) => { f.hidden = windowSelect.value !== BETWEEN; });
  showBetween();
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter jobs' },
    field('Status', status), field('Type', type), field('Config', config), field('Label', label), field('Created', windowSelect),
    between, h('button', { type: 'submit' }, 'Apply'));
  const body = h('tbody', { id: 'jobs-body' });
  const table = h('table', { class: 'jobs', id: 'jobs-table' },
    h('caption', { class: 'visually-hidden' }, 'Jobs, newest first'),
    h('thead', {}, h('tr', {}, ['Job', 'Status', 'Type', 'Config', 'Node / worker', 'Attempt', 'Age', 'Duration']
      .map((c) => h('th', { scope: 'col' }, c)))),
    body);
  const prev = h('button', { type: 'button', id: 'page-newer', disabled: true }, '← Newer');
  const more = h('button', { type: 'button', id: 'page-older', disabled: true }, 'Older →');
  const pageInfo = h('span', { class: 'page-info', 'aria-live': 'polite' });
  fill(main, h('h1', {}, 'Jobs'), form, h('div', { class: 'table-wrap' }, table), h('div', { class: 'pager' }, prev, pageInfo, more));

  const restart = () => {
    cursors.length = 1;
    stop();
    stop = every(INTERVAL_MS, load);
  };
  const onChange = () => {
    filters.status = status.value;
    filters.type = type.value.trim();
    filters.config_id = config.value.trim();
    filters.label = label.value.trim();
    filters.window = windowSelect.value === BETWEEN ? BETWEEN : Number(windowSelect.value);
    filters.since = isoInstant(from.value);
    filters.until = isoInstant(to.value);
    showBetween();
    restart();
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    onChange();
  });
  status.addEventListener('change', onChange);
  windowSelect.addEventListener('change', onChange);
  prev.addEventListener('click', () => {
    cursors.pop();
    stop();
    stop = every(INTERVAL_MS, load);
  });
  more.addEventListener('click', () => {
    cursors.push(next);
    stop();
    stop = every(INTERVAL_MS, load);
  });

  async function load() {
    const between = filters.window === BETWEEN;
    const since = between ? filters.since : (filters.window ? new Date(Date.now() - filters.window * 60000).toISOString() : '');
    const page = await getJson('/jobs' + query({
      status: filters.status, type: filters.type, config_id: filters.config_id, label: filters.label,
      since, until: between ? filters.until : '',
      limit: PAGE_SIZE, cursor: cursors[cursors.length - 1],
    }));
    next = page.next_cursor;
    render(body, page.jobs);
    prev.disabled = cursors.length === 1;
    more.disabled = !next;
    fill(pageInfo, `Page ${cursors.length}` + (page.jobs.length === 0 ? ' — no jobs match' : ''));
  }

  let stop = every(INTERVAL_MS, load);
  return () => stop();
}

function field(text, control) {
  return h('div', { class: 'field' }, h('label', { for: control.id }, text), control);
}

/** A datetime-local field's value (local time) as an ISO instant, or '' when empty. */
function isoInstant(local) {
  return local ? new Date(local).toISOString() : '';
}

/** An ISO instant as a datetime-local field's value, in local time to the second. */
function localInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Rebuilds the rows, keeping keyboard focus on the same job's link. */
function render(body, jobs) {
  const focused = document.activeElement?.closest?.('tr[data-job-id]')?.dataset.jobId;
  const now = Date.now();
  fill(body, jobs.map((job) => h('tr', { dataset: { jobId: job.id, status: job.status } },
    h('td', { dataset: { col: 'id' } }, h('a', { href: `#/jobs/${encodeURIComponent(job.id)}`, class: 'mono', title: job.id }, shortId(job.id))),
    h('td', { dataset: { col: 'status' } }, statusBadge(job.status),
      job.cancel_requested && !isTerminal(job.status) ? h('span', { class: 'note' }, ' cancel requested') : null),
    h('td', {}, job.type),
    h('td', {}, job.config_id, job.config_version ? h('span', { class: 'muted' }, ` v${job.config_version}`) : null),
    h('td', {}, job.lease ? `${job.lease.node} / ${job.lease.worker}` : ''),
    h('td', {}, `${job.attempt} of ${job.attempts_limit}`),
    h('td', { title: time(job.created_at) }, since(job.created_at, now)),
    h('td', {}, runTime(job, now)))));
  if (focused) body.querySelector(`tr[data-job-id="${CSS.escape(focused)}"] a`)?.focus();
}

function shortId(id) {
  return id.length > 13 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id;
}

export function isTerminal(status) {
  return ['succeeded', 'failed', 'canceled', 'dead_lettered'].includes(status);
}
