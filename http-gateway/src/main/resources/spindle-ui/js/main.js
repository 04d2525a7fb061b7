// The dashboard's shell: the hash router, the counts in the header, and asking for the API token.

import { getJson, setToken, token, Unauthorized } from './api.js';
import { fill, h } from './dom.js';
import { every, session } from './poll.js';
import { renderJobs } from './pages/jobs.js';
import { renderJob } from './pages/job.js';
import { renderArtifact } from './pages/artifact.js';
import { renderCluster } from './pages/cluster.js';
import { renderConfigs } from './pages/configs.js';
import { renderAlias, renderAliases } from './pages/aliases.js';
import { renderExperiments } from './pages/experiments.js';
import { renderExperiment } from './pages/experiment.js';
import { renderMetrics, startSampling, stopSampling } from './pages/metrics.js';

const COUNTS_INTERVAL_MS = 2000;
const STATUSES = ['queued', 'leased', 'running', 'succeeded', 'failed', 'canceled', 'dead_lettered'];

const ROUTES = [
  [/^#\/jobs\/([^/?]+)$/, 'jobs', (main, m) => renderJob(main, decodeURIComponent(m[1]))],
  [/^#\/jobs(?:\?(.*))?$/, 'jobs', (main, m) => renderJobs(main, new URLSearchParams(m[1] || ''))],
  [/^#\/artifacts\/([^/?]+)$/, 'jobs', (main, m) => renderArtifact(main, decodeURIComponent(m[1]))],
  [/^#\/cluster$/, 'cluster', renderCluster],
  [/^#\/configs$/, 'configs', renderConfigs],
  [/^#\/aliases$/, 'aliases', renderAliases],
  [/^#\/aliases\/([^/?]+)$/, 'aliases', (main, m) => renderAlias(main, decodeURIComponent(m[1]))],
  [/^#\/experiments$/, 'experiments', renderExperiments],
  [/^#\/experiments\/([^/?]+)$/, 'experiments', (main, m) => renderExperiment(main, decodeURIComponent(m[1]))],
  [/^#\/metrics$/, 'metrics', renderMetrics],
];

const main = document.getElementById('main');
const notice = document.getElementById('notice');
const signOut = document.getElementById('sign-out');
let stopPage = () => {};
let stopCounts = () => {};

function route() {
  const hash = location.hash || '#/jobs';
  if (!hash.startsWith('#/')) return; // an in-page anchor such as the skip link
  stopPage();
  for (const [pattern, page, render] of ROUTES) {
    const m = hash.match(pattern);
    if (m) {
      markCurrent(page);
      stopPage = render(main, m) || (() => {});
      return;
    }
  }
  markCurrent(null);
  fill(main, h('h1', {}, 'Not found'), h('p', {}, 'No page here. ', h('a', { href: '#/jobs' }, 'Back to the jobs.')));
  stopPage = () => {};
}

function markCurrent(page) {
  for (const a of document.querySelectorAll('nav a')) {
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function startCounts() {
  stopCounts();
  const list = document.getElementById('counts');
  stopCounts = every(COUNTS_INTERVAL_MS, async () => {
    const { counts } = await getJson('/jobs/counts');
    fill(list, STATUSES.map((s) => h('li', { class: `count status-${s}`, dataset: { status: s } },
      h('a', { href: `#/jobs?status=${s}`, 'aria-label': `${counts[s] ?? 0} ${s.replaceAll('_', ' ')}` },
        h('span', { class: 'n' }, String(counts[s] ?? 0)), ' ', s.replaceAll('_', ' ')))));
  });
}

/** Replaces the page with the token form; the app starts once the API accepts the token. */
function askForToken(problem) {
  stopPage();
  stopCounts();
  stopSampling();
  stopPage = () => {};
  fill(document.getElementById('counts'));
  signOut.hidden = true;
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { id: 'token-error', class: 'error', role: 'alert' }, problem || '');
  const form = h('form', { class: 'login', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Sign in'),
    h('p', {}, 'This Spindle API needs its token (spindle.gateway.api-token). It stays in this browser tab only.'),
    h('label', { for: 'token' }, 'API token'),
    input,
    error,
    h('button', { type: 'submit' }, 'Sign in'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    setToken(input.value.trim());
    try {
      await getJson('/jobs/counts');
      start();
    } catch (err) {
      setToken(null);
      fill(error, err instanceof Unauthorized ? 'The API did not accept this token.' : `The API did not answer: ${err.message}`);
      input.focus();
    }
  });
  fill(main, form);
  input.focus();
}

function start() {
  signOut.hidden = !token();
  startCounts();
  startSampling();
  route();
}

session.onUnauthorized = () => askForToken(token() ? 'The API no longer accepts the token.' : '');
session.onError = (e) => fill(notice, e ? `The API did not answer: ${e.message}` : '');
signOut.addEventListener('click', () => {
  setToken(null);
  askForToken('');
});
window.addEventListener('hashchange', () => {
  if (document.querySelector('form.login')) return;
  route();
  // Screen readers and the keyboard start on the new page's content, as after a page load.
  if (location.hash.startsWith('#/')) main.focus({ preventScroll: true });
});
document.getElementById('skip').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});
start();
