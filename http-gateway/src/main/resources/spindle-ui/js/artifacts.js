// Artifacts as the job and artifact pages show them: a card with a preview by media type (image, audio,
// video, JSON, text), the SHA-256 and a download, and the lineage panel (parents, producing job, children).

import { ApiError, getJson, getTextPrefix, mediaUrl, token } from './api.js';
import { fill, h } from './dom.js';
import { bytes, json, time } from './format.js';

// Text and JSON previews show at most this much (fetched with a Range request); the download has it all.
const TEXT_PREVIEW_BYTES = 256 * 1024;
// With a token, media previews are fetched whole into a blob: larger ones are only offered as a download.
const BLOB_PREVIEW_BYTES = 64 * 1024 * 1024;

export function artifactHref(id) {
  return `#/artifacts/${encodeURIComponent(id)}`;
}

export function jobHref(id) {
  return `#/jobs/${encodeURIComponent(id)}`;
}

function bytesPath(id) {
  return `/artifacts/${encodeURIComponent(id)}/bytes`;
}

/** The artifacts' cards, or a note that there are none; blob: URLs made for previews are pushed onto {@code revoke}. */
export function renderArtifactCards(div, artifacts, revoke) {
  if (artifacts.length === 0) {
    fill(div, h('p', { class: 'muted' }, 'No artifacts (yet).'));
    return;
  }
  fill(div, artifacts.map((a) => artifactCard(a, revoke)));
}

export function artifactCard(a, revoke) {
  const preview = h('div', { class: 'preview' }, h('p', { class: 'muted' }, 'Loading preview…'));
  showPreview(preview, a, revoke).catch((e) => fill(preview, h('p', { class: 'error' }, `No preview: ${e.message}`)));
  return h('article', { class: 'artifact', dataset: { artifactId: a.id, kind: a.kind } },
    h('h3', {}, h('a', { href: artifactHref(a.id) }, a.kind), ` · ${a.mime} · ${bytes(a.size)}`),
    preview,
    h('dl', { class: 'summary' },
      h('dt', {}, 'SHA-256'), h('dd', { class: 'mono sha', dataset: { field: 'sha256' } }, a.sha256),
      h('dt', {}, 'Produced by'), h('dd', {},
        h('a', { href: jobHref(a.job_id), class: 'mono' }, a.job_id), ` attempt ${a.attempt}`,
        a.node ? ` on ${a.node}${a.worker ? ' / ' + a.worker : ''}` : ''),
      h('dt', {}, 'Config'), h('dd', { dataset: { field: 'lineage-config' } }, configText(a)),
      a.parent_ids.length ? [h('dt', {}, 'Parents'), h('dd', { dataset: { field: 'parents' } },
        a.parent_ids.map((id, i) => [i ? ', ' : '', h('a', { href: artifactHref(id), class: 'mono' }, id)]))] : null,
      h('dt', {}, 'Created'), h('dd', {}, time(a.created_at))),
    downloadLink(a));
}

/** The preview alone (image, player or rendered text), for views that set outputs side by side. */
export function artifactPreview(a, revoke) {
  const preview = h('div', { class: 'preview', dataset: { artifactId: a.id, kind: a.kind } }, h('p', { class: 'muted' }, 'Loading preview…'));
  showPreview(preview, a, revoke).catch((e) => fill(preview, h('p', { class: 'error' }, `No preview: ${e.message}`)));
  return preview;
}

function configText(a) {
  return `${a.config_id}${a.config_version ? ` version ${a.config_version}` : ''}`;
}

async function showPreview(div, a, revoke) {
  const major = a.mime.split('/')[0];
  const label = `${a.kind} artifact ${a.id}`;
  if (['image', 'audio', 'video'].includes(major)) {
    if (token() && a.size > BLOB_PREVIEW_BYTES) {
      fill(div, h('p', { class: 'muted' }, 'Too large to preview here; download it.'));
      return;
    }
    const url = await mediaUrl(bytesPath(a.id));
    if (url.startsWith('blob:')) revoke.push(url);
    const el = major === 'image'
      ? h('img', { src: url, alt: label })
      : h(major, { src: url, controls: true, preload: 'metadata', 'aria-label': label });
    fill(div, el);
  } else if (a.mime.includes('json') || major === 'text') {
    const { text, whole } = await getTextPrefix(bytesPath(a.id), TEXT_PREVIEW_BYTES);
    let shown = text;
    if (whole && a.mime.includes('json')) {
      try {
        shown = json(JSON.parse(text));
      } catch (e) {
        // not valid JSON after all: show it as it is
      }
    }
    fill(div, h('pre', { class: 'artifact-text', tabindex: '0', 'aria-label': label }, shown),
      whole ? null : h('p', { class: 'muted', dataset: { field: 'truncated' } },
        `The first ${bytes(TEXT_PREVIEW_BYTES)} of ${bytes(a.size)}; download it for the rest.`));
  } else {
    fill(div, h('p', { class: 'muted' }, `No preview for ${a.mime}.`));
  }
}

/** A plain link when the API needs no token; with one, a button that fetches the bytes with it. */
function downloadLink(a) {
  const path = bytesPath(a.id);
  const name = `${a.id}.${a.mime.split('/')[1]?.split(/[+;]/)[0] || 'bin'}`;
  const label = `Download ${a.kind} (${bytes(a.size)})`;
  if (!token()) return h('p', {}, h('a', { href: path, download: name }, label));
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
  }, label));
}

/**
 * The ids of the artifacts a job input references: {@code {"artifact_id": …}} as a top-level field or as an
 * element of a top-level list, in order of first mention (as the node resolves them).
 */
export function inputArtifactIds(input) {
  const ids = [];
  const add = (v) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && typeof v.artifact_id === 'string' && !ids.includes(v.artifact_id)) {
      ids.push(v.artifact_id);
    }
  };
  for (const value of Object.values(input || {})) {
    if (Array.isArray(value)) value.forEach(add);
    else add(value);
  }
  return ids;
}

/** The artifacts with these ids, in order; one the catalog no longer has comes back as {id, missing: true}. */
export async function artifactsById(ids) {
  return Promise.all(ids.map((id) => getJson(`/artifacts/${encodeURIComponent(id)}`).catch((e) => {
    if (e instanceof ApiError && e.status === 404) return { id, missing: true };
    throw e;
  })));
}

/**
 * Fills {@code dl} with a lineage: the producing job and config version, the parent artifacts (each linked with
 * the job that made it), the outputs, and the children (artifacts made from these outputs by later jobs).
 */
export function renderLineage(dl, { job, config, parents, outputs, children }) {
  const list = (items, attr) => h('ul', { class: 'lineage-list' }, items.map((a) => h('li', { dataset: { [attr]: a.id } },
    a.missing
      ? [h('span', { class: 'mono' }, a.id), h('span', { class: 'muted' }, ' no longer in the catalog')]
      : [h('a', { href: artifactHref(a.id) }, `${a.kind} · ${a.mime}`), ' ', h('span', { class: 'mono muted' }, a.id),
        ' from job ', h('a', { href: jobHref(a.job_id), class: 'mono' }, a.job_id)])));
  const rows = [
    ['Job', job ? h('a', { href: jobHref(job), class: 'mono' }, job) : null, 'job'],
    ['Config', config, 'config'],
    ['Parents', parents.length ? list(parents, 'parentId') : 'none: made from the input alone', 'parents'],
    ['Outputs', outputs && outputs.length ? list(outputs, 'outputId') : null, 'outputs'],
    ['Children', children === undefined ? null : (children.length ? list(children, 'childId') : 'none yet'), 'children'],
  ];
  fill(dl, rows.filter(([, v]) => v !== null)
    .map(([k, v, field]) => [h('dt', {}, k), h('dd', { dataset: { field: `lineage-${field}` } }, v)]));
}

export { configText };
