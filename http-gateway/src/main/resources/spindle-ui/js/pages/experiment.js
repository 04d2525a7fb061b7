// One experiment: what it compares, progress per arm, the report with its intervals drawn, a gate's verdict on it,
// and every input's outputs side by side. Polls every three seconds until the experiment has completed.

import { ApiError, getJson, postJson, query } from '../api.js';
import { fill, h } from '../dom.js';
import { json, time } from '../format.js';
import { every } from '../poll.js';
import { renderReport } from './experiment-report.js';
import { renderSideBySide } from './side-by-side.js';

const INTERVAL_MS = 3000;

export function renderExperiment(main, id) {
  const path = `/experiments/${encodeURIComponent(id)}`;
  const summary = h('dl', { class: 'summary', id: 'experiment-summary' });
  const progress = h('tbody', { id: 'experiment-progress-body' });
  const report = h('div', { id: 'experiment-report' }, h('p', { class: 'muted' }, 'Loading…'));
  const gateResult = h('div', { id: 'gate-result', 'aria-live': 'polite' });
  const sideBySide = h('div', { id: 'side-by-side' }, h('p', { class: 'muted' }, 'Loading…'));
  const message = h('p', { class: 'error', role: 'alert' });
  const gate = h('input', { id: 'gate-name', name: 'gate', type: 'text', required: true, placeholder: 'e.g. tts-gate' });
  const candidate = h('select', { id: 'gate-candidate', name: 'candidate' });
  const gateForm = h('form', { class: 'filters', id: 'gate-form', 'aria-labelledby': 'gate-title' },
    h('div', { class: 'field' }, h('label', { for: 'gate-name' }, 'Gate'), gate),
    h('div', { class: 'field' }, h('label', { for: 'gate-candidate' }, 'Candidate arm'), candidate),
    h('button', { type: 'submit', id: 'evaluate-gate' }, 'Evaluate'));
  fill(main, h('p', {}, h('a', { href: '#/experiments' }, '← All experiments')),
    h('h1', {}, 'Experiment ', h('span', { class: 'mono' }, id)), message,
    h('div', { class: 'columns' },
      h('section', { 'aria-labelledby': 'experiment-summary-title' }, h('h2', { id: 'experiment-summary-title' }, 'Summary'), summary),
      h('section', { 'aria-labelledby': 'progress-title' }, h('h2', { id: 'progress-title' }, 'Progress'),
        h('div', { class: 'table-wrap' }, h('table', { id: 'experiment-progress' },
          h('caption', { class: 'visually-hidden' }, 'Replays per arm'),
          h('thead', {}, h('tr', {}, ['Arm', 'Config', 'Jobs done', 'Pending', 'Failed'].map((c) => h('th', { scope: 'col' }, c)))),
          progress)))),
    h('section', { 'aria-labelledby': 'report-title' }, h('h2', { id: 'report-title' }, 'Report'), report),
    h('section', { 'aria-labelledby': 'gate-title' }, h('h2', { id: 'gate-title' }, 'Gate'),
      h('p', { class: 'muted' }, 'Evaluates a saved gate (POST /gates) on this report: pass, fail, or inconclusive when the evidence does not decide.'),
      gateForm, gateResult),
    h('section', { 'aria-labelledby': 'sbs-title' }, h('h2', { id: 'sbs-title' }, 'Side by side'), sideBySide));

  const revoke = [];
  let shownOutputs = null;
  let experiment = null;

  gateForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = gate.value.trim();
    try {
      const result = await postJson(`${path}/gate/${encodeURIComponent(name)}${query({ candidate: candidate.value })}`);
      showGate(gateResult, result);
      fill(message);
    } catch (err) {
      fill(gateResult);
      fill(message, `Gate ${name}: ${err.message}`);
    }
  });

  async function load() {
    let outputs;
    let rep;
    try {
      [experiment, rep, outputs] = await Promise.all([getJson(path), getJson(`${path}/report`), getJson(`${path}/outputs`)]);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        fill(message, `No experiment ${id}.`);
        return false;
      }
      throw e;
    }
    const spec = experiment.spec;
    renderSummary(summary, experiment);
    renderProgress(progress, spec, outputs.arms);
    if (!candidate.options.length) {
      fill(candidate, spec.candidates.map((c) => h('option', { value: c.name }, c.name)));
    }
    renderReport(report, rep);
    // Rebuilt only when an output or score arrived, so a clip being played keeps playing.
    const key = `${experiment.replays_done}/${experiment.scores_done}`;
    if (key !== shownOutputs) {
      shownOutputs = key;
      renderSideBySide(sideBySide, spec, outputs, revoke);
    }
    return experiment.status !== 'completed';
  }

  const stop = every(INTERVAL_MS, load);
  return () => {
    stop();
    revoke.forEach((url) => URL.revokeObjectURL(url));
  };
}

function renderSummary(dl, x) {
  const spec = x.spec;
  const rows = [
    ['Status', h('span', { class: `badge experiment-${x.status}` }, x.status)],
    ['Description', spec.description || ''],
    ['Created', time(x.created_at)],
    ['Completed', time(x.completed_at)],
    ['Selection', h('code', {}, JSON.stringify(spec.selection))],
    ['Sources', `${x.sources.length} jobs, frozen with their input digests`],
    ['Arms', ['original (recorded outputs)', spec.baseline === false ? null : 'baseline (the source config re-run)',
      ...spec.candidates.map((c) => `${c.name} (${c.config_id} version ${c.version})`)].filter(Boolean).join(', ')],
    ['Repetitions', String(spec.repetitions || 1)],
    ['Scorers', spec.scorers.map((s) => `${s.name}: ${s.type} on ${s.config_id} → ${s.metric} (${s.direction} is better)`).join('; ') || 'none'],
    ['Budget', `${json(spec.budget)}`.replace(/\s+/g, ' ')],
  ];
  fill(dl, rows.filter(([, v]) => v !== '' && v !== null)
    .map(([k, v]) => [h('dt', {}, k), h('dd', { dataset: { field: k.toLowerCase() } }, v)]));
}

function renderProgress(body, spec, arms) {
  const configs = new Map(spec.candidates.map((c) => [c.name, `${c.config_id} version ${c.version}`]));
  configs.set('original', 'as recorded');
  configs.set('baseline', 'each source\'s own');
  fill(body, arms.map((a) => h('tr', { dataset: { arm: a.arm } },
    h('th', { scope: 'row' }, a.arm),
    h('td', {}, configs.get(a.arm) || ''),
    h('td', {}, h('progress', { max: Math.max(a.expected_runs, 1), value: a.finished_runs, 'aria-label': `${a.arm}: ${a.finished_runs} of ${a.expected_runs} done` }),
      ` ${a.finished_runs} / ${a.expected_runs}`),
    h('td', { dataset: { field: 'pending' } }, String(a.expected_runs - a.finished_runs)),
    h('td', {}, String(a.failed_runs)))));
}

function showGate(div, result) {
  const r = result.result;
  fill(div, h('p', { dataset: { verdict: r.verdict } }, `Gate ${r.gate} on ${result.candidate} against ${result.reference}: `,
    h('span', { class: `badge verdict-${r.verdict}` }, r.verdict),
    result.experiment_status === 'completed' ? '' : ' (the experiment is still running)'),
  h('ul', { class: 'criteria' }, r.criteria.map((c) => h('li', {},
    h('span', { class: `badge verdict-${c.verdict}` }, c.verdict), ` ${c.criterion.kind.replaceAll('_', ' ')}: ${c.observed}`,
    c.n !== null && c.n !== undefined ? h('span', { class: 'muted' }, ` (n=${c.n})`) : null))));
}
