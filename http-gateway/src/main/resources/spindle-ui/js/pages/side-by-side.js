// An experiment's outputs side by side: per source input, what the original, the reference and a candidate gave, with
// their scores and artifacts (images next to each other, audio players next to each other, text and JSON rendered),
// the sources where the candidate did worst first.

import { artifactPreview, artifactsById, jobHref } from '../artifacts.js';
import { fill, h } from '../dom.js';
import { duration, json } from '../format.js';
import { num } from '../intervals.js';

// Sources shown at first, and added by each "Show more".
const PAGE = 10;

function field(text, control) {
  return h('div', { class: 'field' }, h('label', { for: control.id }, text), control);
}

function mean(values) {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/** The arm's score of {@code scorer} for a source, averaged over its repetitions (as the report does). */
function score(source, scorer, arm) {
  return mean(source.scores.filter((s) => s.scorer === scorer && s.arm === arm && s.value !== null).map((s) => s.value));
}

/**
 * Fills {@code div} with the controls (metric, candidate) and the rows; {@code spec} is the experiment's, {@code outputs}
 * its GET /experiments/{id}/outputs. Blob URLs made for previews go onto {@code revoke}.
 */
export function renderSideBySide(div, spec, outputs, revoke) {
  const scorers = spec.scorers;
  const candidates = spec.candidates.map((c) => c.name);
  const reference = spec.baseline === false ? 'original' : 'baseline';
  const metric = h('select', { id: 'sbs-metric', name: 'metric' }, scorers.map((s) => h('option', { value: s.name }, `${s.metric} (${s.name})`)));
  const candidate = h('select', { id: 'sbs-candidate', name: 'candidate' }, (candidates.length ? candidates : [reference]).map((c) => h('option', { value: c }, c)));
  const rows = h('div', { id: 'side-by-side-rows' });
  const more = h('button', { type: 'button', id: 'sbs-more' }, 'Show more');
  let shown = PAGE;

  const draw = () => {
    const scorer = scorers.find((s) => s.name === metric.value);
    const sign = scorer && scorer.direction === 'lower' ? -1 : 1;
    const arms = [...new Set(['original', reference, candidate.value])];
    // Worst regression first: the candidate's signed delta against the reference, ascending; unscored sources last.
    const keyed = outputs.sources.map((s) => {
      const ref = scorer ? score(s, scorer.name, reference) : null;
      const cand = scorer ? score(s, scorer.name, candidate.value) : null;
      const delta = ref !== null && cand !== null ? cand - ref : null;
      return { s, delta, key: delta === null ? Infinity : delta * sign };
    }).sort((a, b) => a.key - b.key);
    fill(rows, keyed.slice(0, shown).map(({ s, delta }) => row(s, arms, scorers, scorer, delta, reference, candidate.value, revoke)));
    more.hidden = keyed.length <= shown;
  };
  metric.addEventListener('change', draw);
  candidate.addEventListener('change', draw);
  more.addEventListener('click', () => {
    shown += PAGE;
    draw();
  });
  fill(div,
    h('form', { class: 'filters', 'aria-label': 'Order the side-by-side view', onsubmit: (e) => e.preventDefault() },
      scorers.length ? field('Sorted by metric', metric) : null, field('Candidate', candidate)),
    h('p', { class: 'muted' }, `Worst regression of the candidate against ${reference} first. Repetition 1 of each arm is shown; scores are averaged over repetitions.`),
    rows, more);
  draw();
}

function row(source, arms, scorers, scorer, delta, reference, candidate, revoke) {
  const title = `Source ${source.job_id}`;
  return h('article', { class: 'pair', dataset: { source: source.job_id }, 'aria-label': title },
    h('header', { class: 'pair-head' },
      h('h3', {}, 'Source ', h('a', { href: jobHref(source.job_id), class: 'mono' }, source.job_id)),
      scorer ? h('span', { class: delta !== null && delta * (scorer.direction === 'lower' ? -1 : 1) < 0 ? 'regression' : 'muted', dataset: { field: 'delta' } },
        delta === null ? `${scorer.metric}: not scored yet` : `${scorer.metric} ${candidate} − ${reference}: ${num(delta)}`) : null),
    h('details', { class: 'pair-input' }, h('summary', {}, 'Input'), h('pre', { tabindex: '0' }, json(source.input))),
    h('div', { class: 'arms' }, arms.map((arm) => cell(source, arm, scorers, revoke))));
}

function cell(source, arm, scorers, revoke) {
  const run = source.runs.find((r) => r.arm === arm && r.repetition === 1);
  const div = h('section', { class: 'arm-output', dataset: { arm }, 'aria-label': `${arm} output` }, h('h4', {}, arm));
  if (!run) {
    div.append(h('p', { class: 'muted' }, 'Not run yet.'));
    return div;
  }
  const scores = scorers.map((s) => {
    const v = source.scores.find((x) => x.scorer === s.name && x.arm === arm && x.repetition === 1);
    return h('li', { dataset: { scorer: s.name } }, `${s.metric}: `, v ? (v.value !== null ? num(v.value) : h('span', { class: 'error' }, v.error || 'failed'))
      : h('span', { class: 'muted' }, 'pending'));
  });
  const previews = h('div', { class: 'arm-artifacts' });
  div.append(...[
    h('p', {}, h('a', { href: jobHref(run.job_id), class: 'mono' }, run.job_id),
      run.latency_millis !== null && run.latency_millis !== undefined ? h('span', { class: 'muted' }, ` · ${duration(run.latency_millis)}`) : null),
    run.succeeded ? null : h('p', { class: 'error' }, `Failed: ${run.error || 'no output'}`),
    scores.length ? h('ul', { class: 'scores' }, scores) : null,
    previews].filter(Boolean));
  if (run.artifact_ids.length) {
    artifactsById(run.artifact_ids)
      .then((list) => fill(previews, list.map((a) => (a.missing ? h('p', { class: 'muted' }, `${a.id} is no longer in the catalog`) : artifactPreview(a, revoke)))))
      .catch((e) => fill(previews, h('p', { class: 'error' }, `No preview: ${e.message}`)));
  } else if (run.outputs) {
    fill(previews, h('pre', { class: 'artifact-text', tabindex: '0', 'aria-label': `${arm} outputs` }, json(run.outputs)));
  }
  return div;
}
