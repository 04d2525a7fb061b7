// One job: its summary (with the alias it came through and, for a replay, its experiment and source job), event
// timeline, input and outputs, cancel / requeue, artifact previews and lineage.
// Polls every two seconds until the job is terminal.

import { ApiError, getJson, postJson, query } from '../api.js';
import { artifactsById, inputArtifactIds, jobHref, renderArtifactCards, renderLineage } from '../artifacts.js';
import { confirmDialog, fill, h, statusBadge } from '../dom.js';
import { json, runTime, time } from '../format.js';
import { every } from '../poll.js';
import { isTerminal } from './jobs.js';
import { aliasHref } from './aliases.js';
import { experimentHref } from './experiments.js';

const INTERVAL_MS = 2000;
// Only a dead-lettered job can be requeued (JobEntity refuses the others with 409).
const REQUEUEABLE = ['dead_lettered'];

export function renderJob(main, id) {
  const path = `/jobs/${encodeURIComponent(id)}`;
  const heading = h('h1', {}, 'Job ', h('span', { class: 'mono' }, id));
  const actions = h('div', { class: 'actions', id: 'job-actions' });
  const summary = h('dl', { class: 'summary', id: 'job-summary' });
  const timeline = h('ol', { class: 'timeline', id: 'job-timeline' });
  const input = h('pre', { id: 'job-input', tabindex: '0' });
  const outputs = h('pre', { id: 'job-outputs', tabindex: '0' });
  const artifacts = h('div', { id: 'job-artifacts' });
  const lineage = h('dl', { class: 'summary', id: 'job-lineage' });
  const message = h('p', { class: 'error', role: 'alert' });
  fill(main, h('p', {}, h('a', { href: '#/jobs' }, '← All jobs')), heading, actions, message,
    h('div', { class: 'columns' },
      h('section', { 'aria-labelledby': 'summary-title' }, h('h2', { id: 'summary-title' }, 'Summary'), summary),
      h('section', { 'aria-labelledby': 'timeline-title' }, h('h2', { id: 'timeline-title' }, 'Timeline'), timeline)),
    // What the job made comes before its raw input and outputs: for a media job it is what one came to see.
    h('div', { class: 'columns' },
      h('section', { 'aria-labelledby': 'artifacts-title' }, h('h2', { id: 'artifacts-title' }, 'Artifacts'), artifacts),
      h('section', { 'aria-labelledby': 'lineage-title' }, h('h2', { id: 'lineage-title' }, 'Lineage'), lineage)),
    h('div', { class: 'columns' },
      h('section', { 'aria-labelledby': 'input-title' }, h('h2', { id: 'input-title' }, 'Input'), input),
      h('section', { 'aria-labelledby': 'outputs-title' }, h('h2', { id: 'outputs-title' }, 'Outputs'), outputs)));

  let shownArtifacts = null;
  let shownActions = '';
  const revoke = [];

  async function load() {
    let job;
    try {
      job = await getJson(path);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        fill(message, `No job ${id}.`);
        return false;
      }
      throw e;
    }
    const [events, list] = await Promise.all([getJson(`${path}/events`).catch(() => ({ events: [] })), getJson(`${path}/artifacts`)]);
    renderSummary(summary, job);
    renderTimeline(timeline, events.events);
    fill(input, json(job.input));
    fill(outputs, job.outputs ? json(job.outputs) : (isTerminal(job.status) ? 'none' : 'not yet'));
    const actionKey = `${job.status}/${job.cancel_requested}`;
    if (actionKey !== shownActions) {
      shownActions = actionKey;
      renderActions(actions, job, message, () => restart());
    }
    // Artifacts are rebuilt only when the list changes, so a playing clip keeps playing.
    const artifactKey = list.artifacts.map((a) => a.id).join(',');
    if (artifactKey !== shownArtifacts) {
      shownArtifacts = artifactKey;
      renderArtifactCards(artifacts, list.artifacts, revoke);
      await showLineage(lineage, job, list.artifacts);
    }
    return !isTerminal(job.status);
  }

  let stop = every(INTERVAL_MS, load);
  const restart = () => {
    stop();
    stop = every(INTERVAL_MS, load);
  };
  return () => {
    stop();
    revoke.forEach((url) => URL.revokeObjectURL(url));
  };
}

/**
 * The job's lineage: the artifacts it was made from (its input's references and its artifacts' recorded parents,
 * which a client may have added to), its config version, its artifacts, and what later jobs made from them.
 */
async function showLineage(dl, job, artifacts) {
  const details = await Promise.all(artifacts.map((a) => getJson(`/artifacts/${encodeURIComponent(a.id)}`)));
  const parentIds = [...new Set([...inputArtifactIds(job.input), ...artifacts.flatMap((a) => a.parent_ids)])];
  const known = new Map(details.flatMap((d) => d.parents || []).map((p) => [p.id, p]));
  const fetched = await artifactsById(parentIds.filter((id) => !known.has(id)));
  fetched.forEach((p) => known.set(p.id, p));
  const children = new Map();
  details.flatMap((d) => d.children || []).forEach((c) => children.set(c.id, c));
  renderLineage(dl, {
    config: `${job.config_id}${job.config_version ? ` version ${job.config_version}` : ''}`,
    parents: parentIds.map((id) => known.get(id)),
    outputs: artifacts,
    children: details.some((d) => Array.isArray(d.children)) ? [...children.values()] : undefined,
  });
}

function renderSummary(dl, job) {
  const rows = [
    ['Status', [statusBadge(job.status), job.cancel_requested && !isTerminal(job.status) ? ' cancel requested' : '']],
    ['Type', job.type],
    ['Config', [h('a', { href: '#/configs' }, job.config_id), job.config_version ? ` version ${job.config_version}` : '']],
    ['Attempt', `${job.attempt} of ${job.attempts_limit}`],
    ['Priority', job.priority],
    ['Lease', job.lease ? `${job.lease.node} / ${job.lease.worker}, until ${time(job.lease.expires_at)}` : 'none'],
    // A finished job's last progress report is history (the timeline has it), not its state.
    ['Progress', job.progress && !isTerminal(job.status) ? [h('progress', { max: 100, value: job.progress.percent, 'aria-label': 'Progress' }),
      ` ${Math.round(job.progress.percent)} % ${job.progress.message || ''}`] : ''],
    ['Created', time(job.created_at)],
    ['Started', time(job.started_at)],
    ['Finished', time(job.finished_at)],
    ['Run time', runTime(job)],
    ['Retry at', time(job.retry_at)],
    ['Last error', job.last_error ? `${job.last_error.code}: ${job.last_error.message}${job.last_error.transient ? ' (transient)' : ''}` : ''],
    // Each label links to the jobs that carry it too.
    ['Labels', job.labels && Object.keys(job.labels).length ? Object.entries(job.labels).map(([k, v], i) => [i ? ', ' : '',
      h('a', { href: `#/jobs${query({ label: `${k}:${v}` })}` }, `${k}=${v}`)]) : ''],
    ['Alias', job.alias ? h('a', { href: aliasHref(job.alias) }, job.alias) : ''],
    ['Origin', job.origin ? origin(job.origin) : ''],
    ['Replay of', job.replay_of ? h('a', { href: jobHref(job.replay_of), class: 'mono' }, job.replay_of) : ''],
    ['Idempotency key', job.idempotency_key || ''],
  ];
  fill(dl, rows.filter(([, v]) => v !== '' && v !== null && v !== undefined)
    .map(([k, v]) => [h('dt', {}, k), h('dd', { dataset: { field: k.toLowerCase().replace(' ', '-') } }, v)]));
}

/** Which experiment made this job: a replay of a source job in an arm, or a scorer's job over one. */
function origin(o) {
  return [o.scorer ? `scorer ${o.scorer} over ` : '', `arm ${o.arm} repetition ${o.repetition} of experiment `,
    h('a', { href: experimentHref(o.experiment), dataset: { field: 'origin-experiment' } }, o.experiment),
    ', replaying ', h('a', { href: jobHref(o.source_job), class: 'mono', dataset: { field: 'origin-source' } }, o.source_job)];
}

function renderTimeline(ol, events) {
  fill(ol, events.map((e) => h('li', { dataset: { event: e.type } },
    h('time', { datetime: e.at }, time(e.at)), ' ',
    h('strong', {}, e.type.replaceAll('_', ' ')),
    h('span', { class: 'muted' }, ` #${e.seq_nr}`),
    details(e.payload))));
}

/** The payload's interesting fields in one line: who held it, which attempt, what failed. */
function details(payload) {
  const parts = [];
  const skip = new Set(['job_id', 'at', 'spec']);
  for (const [k, v] of Object.entries(payload || {})) {
    if (skip.has(k) || v === null || v === undefined) continue;
    parts.push(`${k.replaceAll('_', ' ')}: ${typeof v === 'object' ? JSON.stringify(v) : v}`);
  }
  return parts.length ? h('div', { class: 'event-details' }, parts.join(' · ')) : null;
}

function renderActions(div, job, message, reload) {
  const buttons = [];
  if (!isTerminal(job.status) && !job.cancel_requested) {
    buttons.push(h('button', {
      type: 'button', class: 'danger', id: 'cancel-job',
      onclick: () => act(`Cancel job ${job.id}?`, 'Cancel job', `/jobs/${encodeURIComponent(job.id)}/cancel`, { reason: 'canceled from the dashboard' }),
    }, 'Cancel…'));
  }
  if (REQUEUEABLE.includes(job.status)) {
    buttons.push(h('button', {
      type: 'button', id: 'requeue-job',
      onclick: () => act(`Requeue job ${job.id}? It goes back to its queue and runs again.`, 'Requeue', `/jobs/${encodeURIComponent(job.id)}/requeue`),
    }, 'Requeue…'));
  }
  fill(div, buttons);

  async function act(question, label, path, body) {
    if (!(await confirmDialog(question, label))) return;
    try {
      await postJson(path, body);
      fill(message);
    } catch (e) {
      fill(message, `${label} failed: ${e.message}`);
    }
    reload();
  }
}
