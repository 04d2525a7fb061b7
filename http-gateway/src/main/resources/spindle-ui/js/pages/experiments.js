// Experiments: the most recent ones with their progress, polled every five seconds.

import { getJson } from '../api.js';
import { fill, h } from '../dom.js';
import { since, time } from '../format.js';
import { every } from '../poll.js';

const INTERVAL_MS = 5000;

export function experimentHref(id) {
  return `#/experiments/${encodeURIComponent(id)}`;
}

export function renderExperiments(main) {
  const body = h('tbody', { id: 'experiments-body' });
  fill(main, h('h1', {}, 'Experiments'),
    h('p', { class: 'muted' }, 'Historical jobs replayed under other configs and scored; create them with the API or spindle experiment create.'),
    h('div', { class: 'table-wrap' }, h('table', { id: 'experiments-table' },
      h('caption', { class: 'visually-hidden' }, 'Experiments, newest first'),
      h('thead', {}, h('tr', {}, ['Experiment', 'Status', 'Sources', 'Arms', 'Scorers', 'Progress', 'Created']
        .map((c) => h('th', { scope: 'col' }, c)))), body)));

  return every(INTERVAL_MS, async () => {
    const { experiments } = await getJson('/experiments');
    const now = Date.now();
    fill(body, experiments.length === 0
      ? h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No experiments yet.'))
      : experiments.map((x) => h('tr', { dataset: { experiment: x.id, status: x.status } },
        h('th', { scope: 'row' }, h('a', { href: experimentHref(x.id) }, x.id), x.description ? h('div', { class: 'note' }, x.description) : null),
        h('td', {}, h('span', { class: `badge experiment-${x.status}` }, x.status)),
        h('td', {}, String(x.sources)),
        h('td', {}, x.arms.join(', ')),
        h('td', {}, x.scorers.join(', ')),
        h('td', {}, progress(x)),
        h('td', { title: time(x.created_at) }, `${since(x.created_at, now)} ago`))));
  });
}

/** Jobs done out of those known so far (replays, then scores as their outputs arrive). */
function progress(x) {
  const done = x.replays_done + x.scores_done;
  const total = done + x.pending_replays + x.pending_scores;
  return [h('progress', { max: Math.max(total, 1), value: done, 'aria-label': `${x.id}: ${done} of ${total} jobs done` }), ` ${done} / ${total}`];
}
