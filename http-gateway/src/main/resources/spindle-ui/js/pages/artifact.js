// One artifact on its own: its card (preview, SHA-256, download) and its lineage, from GET /artifacts/{id}.

import { ApiError, getJson } from '../api.js';
import { artifactCard, configText, renderLineage } from '../artifacts.js';
import { fill, h } from '../dom.js';
import { every } from '../poll.js';

// An artifact never changes: read once, retrying while the API does not answer.
const RETRY_MS = 2000;

export function renderArtifact(main, id) {
  const revoke = [];
  const card = h('div', { id: 'artifact-card' }, h('p', { class: 'muted' }, 'Loading…'));
  const lineage = h('dl', { class: 'summary', id: 'artifact-lineage' });
  fill(main, h('h1', {}, 'Artifact ', h('span', { class: 'mono' }, id)), card,
    h('section', { 'aria-labelledby': 'lineage-title' }, h('h2', { id: 'lineage-title' }, 'Lineage'), lineage));

  const stop = every(RETRY_MS, async () => {
    let a;
    try {
      a = await getJson(`/artifacts/${encodeURIComponent(id)}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        fill(card, h('p', { class: 'error', role: 'alert' }, `No artifact ${id}.`));
        return false;
      }
      throw e;
    }
    fill(card, artifactCard(a, revoke));
    renderLineage(lineage, { job: a.job_id, config: configText(a), parents: a.parents || [], children: a.children });
    return false;
  });
  return () => {
    stop();
    revoke.forEach((url) => URL.revokeObjectURL(url));
  };
}
