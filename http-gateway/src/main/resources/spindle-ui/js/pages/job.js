// One job: its summary, event timeline, input and outputs, cancel / requeue, and artifact previews.
// Polls every two seconds until the job is terminal.

import { ApiError, getJson, getText, mediaUrl, postJson, token } from '../api.js';
import { confirmDialog, fill, h, statusBadge } from '../dom.js';
import { bytes, json, runTime, time } from '../format.js';
import { every } from '../poll.js';
import { isTerminal } from './jobs.js';

const INTERVAL_MS = 2000;
// Text and JSON previews show at most this much; the download has it all.
const TEXT_PREVIEW_BYTES = 256 * 1024;
// With a token, media previews are fetched whole into a blob: larger ones are only offered as a download.
const BLOB_PREVIEW_BYTES = 64 * 1024 * 1024;
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
  const message = h('p', { class: 'error', role: 'alert' });
  fill(main, h('p', {}, h('a', { href: '#/jobs' }, '← All jobs')), heading, actions, message,
    h('div', { class: 'columns' },
      h('section', { 'aria-labelledby': 'summary-title' }, h('h2', { id: 'summary-title' }, 'Summary'), summary),
      h('section', { 'aria-labelledby': 'timeline-title' }, h('h2', { id: 'timeline-title' }, 'Timeline'), timeline)),
    h('div', { class: 'columns' },
      h('section', { 'aria-labelledby': 'input-title' }, h('h2', { id: 'input-title' }, 'Input'), input),
      h('section', { 'aria-labelledby': 'outputs-title' }, h('h2', { id: 'outputs-title' }, 'Outputs'), outputs)),
    h('section', { 'aria-labelledby': 'artifacts-title' }, h('h2', { id: 'artifacts-title' }, 'Artifacts'), artifacts));

  let shownArtifacts = '';
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
      renderArtifacts(artifacts, list.artifacts, revoke);
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

function renderSummary(dl, job) {
  const rows = [
    ['Status', [statusBadge(job.status), job.cancel_requested && !isTerminal(job.status) ? ' cancel requested' : '']],
    ['Type', job.type],
    ['Config', [h('a', { href: '#/configs' }, job.config_id), job.config_version ? ` version ${job.config_version}` : '']],
    ['Attempt', `${job.attempt} of ${job.attempts_limit}`],
    ['Priority', job.priority],
    ['Lease', job.lease ? `${job.lease.node} / ${job.lease.worker}, until ${time(job.lease.expires_at)}` : 'none'],
    ['Progress', job.progress ? [h('progress', { max: 100, value: job.progress.percent, 'aria-label': 'Progress' }),
      ` ${Math.round(job.progress.percent)} % ${job.progress.message || ''}`] : ''],
    ['Created', time(job.created_at)],
    ['Started', time(job.started_at)],
    ['Finished', time(job.finished_at)],
    ['Run time', runTime(job)],
    ['Retry at', time(job.retry_at)],
    ['Last error', job.last_error ? `${job.last_error.code}: ${job.last_error.message}${job.last_error.transient ? ' (transient)' : ''}` : ''],
    ['Labels', job.labels && Object.keys(job.labels).length ? Object.entries(job.labels).map(([k, v]) => `${k}=${v}`).join(', ') : ''],
    ['Replay of', job.replay_of ? h('a', { href: `#/jobs/${encodeURIComponent(job.replay_of)}`, class: 'mono' }, job.replay_of) : ''],
    ['Idempotency key', job.idempotency_key || ''],
  ];
  fill(dl, rows.filter(([, v]) => v !== '' && v !== null && v !== undefined)
    .map(([k, v]) => [h('dt', {}, k), h('dd', { dataset: { field: k.toLowerCase().replace(' ', '-') } }, v)]));
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

function renderArtifacts(div, artifacts, revoke) {
  if (artifacts.length === 0) {
    fill(div, h('p', { class: 'muted' }, 'No artifacts (yet).'));
    return;
  }
  fill(div, artifacts.map((a) => {
    const preview = h('div', { class: 'preview' }, h('p', { class: 'muted' }, 'Loading preview…'));
    showPreview(preview, a, revoke).catch((e) => fill(preview, h('p', { class: 'error' }, `No preview: ${e.message}`)));
    return h('article', { class: 'artifact', dataset: { artifactId: a.id, kind: a.kind } },
      h('h3', {}, `${a.kind} · ${a.mime} · ${bytes(a.size)}`),
      preview,
      h('dl', { class: 'summary' },
        h('dt', {}, 'SHA-256'), h('dd', { class: 'mono sha', dataset: { field: 'sha256' } }, a.sha256),
        h('dt', {}, 'Produced by'), h('dd', {},
          h('a', { href: `#/jobs/${encodeURIComponent(a.job_id)}`, class: 'mono' }, a.job_id), ` attempt ${a.attempt}`,
          a.node ? ` on ${a.node}${a.worker ? ' / ' + a.worker : ''}` : ''),
        h('dt', {}, 'Config'), h('dd', { dataset: { field: 'lineage-config' } }, a.config_id, a.config_version ? ` version ${a.config_version}` : ''),
        a.parent_ids.length ? [h('dt', {}, 'Parents'), h('dd', { class: 'mono' }, a.parent_ids.join(', '))] : null,
        h('dt', {}, 'Created'), h('dd', {}, time(a.created_at))),
      downloadLink(a));
  }));
}

async function showPreview(div, a, revoke) {
  const path = `/artifacts/${encodeURIComponent(a.id)}/bytes`;
  const major = a.mime.split('/')[0];
  const label = `${a.kind} artifact ${a.id}`;
  if (['image', 'audio', 'video'].includes(major)) {
    if (token() && a.size > BLOB_PREVIEW_BYTES) {
      fill(div, h('p', { class: 'muted' }, 'Too large to preview here; download it.'));
      return;
    }
    const url = await mediaUrl(path);
    if (url.startsWith('blob:')) revoke.push(url);
    const el = major === 'image'
      ? h('img', { src: url, alt: label })
      : h(major, { src: url, controls: true, preload: 'metadata', 'aria-label': label });
    fill(div, el);
  } else if (a.mime.includes('json') || major === 'text') {
    const text = a.size > TEXT_PREVIEW_BYTES ? null : await getText(path);
    if (text === null) {
      fill(div, h('p', { class: 'muted' }, 'Too large to preview here; download it.'));
      return;
    }
    let shown = text;
    if (a.mime.includes('json')) {
      try {
        shown = json(JSON.parse(text));
      } catch (e) {
        // not valid JSON after all: show it as it is
      }
    }
    fill(div, h('pre', { class: 'artifact-text', tabindex: '0', 'aria-label': label }, shown));
  } else {
    fill(div, h('p', { class: 'muted' }, `No preview for ${a.mime}.`));
  }
}

/** A plain link when the API needs no token; with one, a button that fetches the bytes with it. */
function downloadLink(a) {
  const path = `/artifacts/${encodeURIComponent(a.id)}/bytes`;
  const name = `${a.id}.${a.mime.split('/')[1]?.split(/[+;]/)[0] || 'bin'}`;
  if (!token()) return h('p', {}, h('a', { href: path, download: name }, 'Download'));
  return h('p', {}, h('button', {
    type: 'button',
    onclick: async () => {
      const url = await mediaUrl(path);
      const link = h('a', { href: url, download: name });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    },
  }, 'Download'));
}
