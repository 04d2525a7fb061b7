// Configs: the registry, each config's versions, the aliases that point at it, and activating or deactivating one
// (a new version).

import { getJson, patchJson } from '../api.js';
import { confirmDialog, fill, h } from '../dom.js';
import { time } from '../format.js';
import { every } from '../poll.js';
import { aliasHref } from './aliases.js';

export function renderConfigs(main) {
  const body = h('tbody', { id: 'configs-body' });
  const message = h('p', { class: 'error', role: 'alert' });
  fill(main, h('h1', {}, 'Configs'), message,
    h('div', { class: 'table-wrap' }, h('table', { id: 'configs-table' },
      h('thead', {}, h('tr', {}, ['Config', 'Name', 'Version', 'Job types', 'Backend', 'Model', 'Aliases', 'Active', 'Created', '']
        .map((c) => h('th', { scope: 'col' }, c)))), body)));

  let alive = true;
  async function load() {
    const [{ configs }, { aliases }] = await Promise.all([getJson('/configs'), getJson('/aliases').catch(() => ({ aliases: [] }))]);
    if (!alive) return;
    const aliasesOf = (id) => aliases.filter((a) => a.target.config_id === id);
    fill(body, configs.map((c) => {
      const versions = h('tr', { class: 'versions', hidden: true }, h('td', { colspan: 10 }));
      const toggle = h('button', { type: 'button', 'aria-expanded': 'false' }, 'Versions');
      toggle.addEventListener('click', async () => {
        const open = toggle.getAttribute('aria-expanded') === 'true';
        toggle.setAttribute('aria-expanded', String(!open));
        versions.hidden = open;
        if (!open) {
          const list = await getJson(`/configs/${encodeURIComponent(c.id)}/versions`);
          fill(versions.firstChild, h('ol', { class: 'version-list', 'aria-label': `Versions of ${c.id}` },
            list.versions.map((v) => h('li', {}, `version ${v.version} · ${time(v.created_at)} · `,
              v.is_active ? 'active' : 'inactive', ` · ${v.model_ref || ''} ${JSON.stringify(v.params || {})}`))));
        }
      });
      const flip = h('button', { type: 'button', class: c.is_active ? 'danger' : '' }, c.is_active ? 'Deactivate…' : 'Activate…');
      flip.addEventListener('click', async () => {
        const verb = c.is_active ? 'Deactivate' : 'Activate';
        const question = c.is_active
          ? `Deactivate ${c.id}? New jobs for it are refused (409) until it is activated again.`
          : `Activate ${c.id}? It accepts jobs again.`;
        if (!(await confirmDialog(question, verb))) return;
        try {
          await patchJson(`/configs/${encodeURIComponent(c.id)}`, { is_active: !c.is_active });
          fill(message);
        } catch (e) {
          fill(message, `${verb} failed: ${e.message}`);
        }
        load();
      });
      return [h('tr', { dataset: { config: c.id } },
        h('th', { scope: 'row' }, c.id),
        h('td', {}, c.name),
        h('td', {}, String(c.version)),
        h('td', {}, c.job_types.join(', ')),
        h('td', {}, c.runtime_backend),
        h('td', {}, c.model_ref || ''),
        h('td', { dataset: { field: 'aliases' } }, aliasesOf(c.id).map((a, i) => [i ? ', ' : '',
          h('a', { href: aliasHref(a.name) }, a.name), h('span', { class: 'muted' }, ` → v${a.target.version}`)])),
        h('td', { dataset: { field: 'active' } }, c.is_active ? 'yes' : 'no'),
        h('td', {}, time(c.created_at)),
        h('td', { class: 'row-actions' }, toggle, ' ', flip)), versions];
    }));
  }
  // Loaded once (a refresh would close the open version lists); a 401 still asks for the token.
  const stop = every(0, async () => {
    await load();
    return false;
  });
  return () => {
    alive = false;
    stop();
  };
}
