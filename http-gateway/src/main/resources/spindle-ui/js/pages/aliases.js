// Aliases: the list (with a form to create one), and one alias's page: its target, its history (who, when, from, to,
// evidence, reason; forced promotions marked), promoting it to a config version on an experiment's gate (or forced),
// and rolling it back. Every change asks for confirmation first.

import { ApiError, getJson, postJson, putJson } from '../api.js';
import { confirmDialog, fill, h } from '../dom.js';
import { time } from '../format.js';
import { every } from '../poll.js';
import { experimentHref } from './experiments.js';

// Who the dashboard says made a change: the API knows tokens, not people.
const ACTOR = 'dashboard';

export function aliasHref(name) {
  return `#/aliases/${encodeURIComponent(name)}`;
}

function targetText(t) {
  return t ? `${t.config_id} version ${t.version}` : '—';
}

function field(text, control) {
  return h('div', { class: 'field' }, h('label', { for: control.id }, text), control);
}

/** The registry's config ids, for the pickers. */
async function configIds() {
  const { configs } = await getJson('/configs');
  return configs.map((c) => c.id).sort();
}

export function renderAliases(main) {
  const body = h('tbody', { id: 'aliases-body' });
  const message = h('p', { class: 'error', role: 'alert' });
  const name = h('input', { id: 'new-alias-name', name: 'name', type: 'text', required: true, placeholder: 'e.g. tts-prod' });
  const config = h('select', { id: 'new-alias-config', name: 'config_id', required: true });
  const reason = h('input', { id: 'new-alias-reason', name: 'reason', type: 'text', placeholder: 'why' });
  const form = h('form', { class: 'filters', 'aria-label': 'New alias' },
    field('Name', name), field('Config (its latest version)', config), field('Reason', reason), h('button', { type: 'submit' }, 'Create alias'));
  fill(main, h('h1', {}, 'Aliases'),
    h('p', { class: 'muted' }, 'A stable name for the config version that serves it; jobs submitted with "alias" run on its target.'),
    message,
    h('div', { class: 'table-wrap' }, h('table', { id: 'aliases-table' },
      h('caption', { class: 'visually-hidden' }, 'Aliases'),
      h('thead', {}, h('tr', {}, ['Alias', 'Target', 'Changes', 'Last change', 'When'].map((c) => h('th', { scope: 'col' }, c)))), body)),
    h('h2', {}, 'New alias'), form);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await putJson(`/aliases/${encodeURIComponent(name.value.trim())}`, { config_id: config.value, actor: ACTOR, reason: reason.value.trim() || undefined });
      location.hash = aliasHref(name.value.trim());
    } catch (err) {
      fill(message, `Create failed: ${err.message}`);
    }
  });

  return every(5000, async () => {
    const [{ aliases }, ids] = await Promise.all([getJson('/aliases'), config.options.length ? null : configIds()]);
    if (ids) fill(config, ids.map((id) => h('option', { value: id }, id)));
    fill(body, aliases.length === 0
      ? h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No aliases yet.'))
      : aliases.map((a) => h('tr', { dataset: { alias: a.name } },
        h('th', { scope: 'row' }, h('a', { href: aliasHref(a.name) }, a.name)),
        h('td', {}, targetText(a.target)),
        h('td', {}, String(a.changes)),
        h('td', {}, changeKind(a.last_change)),
        h('td', {}, time(a.updated_at)))));
  });
}

function changeKind(c) {
  return [c.kind.replaceAll('_', ' '), c.forced ? [' ', h('span', { class: 'badge forced' }, 'forced')] : null];
}

export function renderAlias(main, name) {
  const path = `/aliases/${encodeURIComponent(name)}`;
  const summary = h('dl', { class: 'summary', id: 'alias-summary' });
  const history = h('tbody', { id: 'alias-history-body' });
  const message = h('p', { class: 'error', role: 'alert' });
  const rollback = h('button', { type: 'button', class: 'danger', id: 'rollback-alias', disabled: true }, 'Roll back…');
  const config = h('select', { id: 'promote-config', name: 'config_id' });
  const version = h('select', { id: 'promote-version', name: 'version' });
  const experiment = h('input', { id: 'promote-experiment', name: 'experiment', type: 'text', list: 'promote-experiments', placeholder: 'experiment id' });
  const experiments = h('datalist', { id: 'promote-experiments' });
  const gate = h('input', { id: 'promote-gate', name: 'gate', type: 'text', placeholder: 'gate name' });
  const force = h('input', { id: 'promote-force', name: 'force', type: 'checkbox' });
  const reason = h('input', { id: 'promote-reason', name: 'reason', type: 'text', placeholder: 'why' });
  const promote = h('button', { type: 'submit', id: 'promote-alias' }, 'Promote…');
  const form = h('form', { class: 'filters', id: 'promote-form', 'aria-labelledby': 'promote-title' },
    field('Config', config), field('Version', version), field('Experiment', experiment), experiments, field('Gate', gate),
    h('div', { class: 'field check' }, force, h('label', { for: 'promote-force' }, 'Force (without a passing gate)')),
    field('Reason', reason), promote);
  fill(main, h('p', {}, h('a', { href: '#/aliases' }, '← All aliases')), h('h1', {}, 'Alias ', h('span', { class: 'mono' }, name)), message,
    h('div', { class: 'actions' }, rollback),
    summary,
    h('section', { 'aria-labelledby': 'promote-title' }, h('h2', { id: 'promote-title' }, 'Promote'),
      h('p', { class: 'muted' }, 'The gate is evaluated now on the experiment\'s report; the promotion is refused unless it passes, or is forced (recorded as forced).'),
      form),
    h('section', { 'aria-labelledby': 'history-title' }, h('h2', { id: 'history-title' }, 'History'),
      h('div', { class: 'table-wrap' }, h('table', { id: 'alias-history' },
        h('caption', { class: 'visually-hidden' }, `Changes of ${name}, oldest first`),
        h('thead', {}, h('tr', {}, ['When', 'Change', 'From', 'To', 'Evidence', 'By', 'Reason'].map((c) => h('th', { scope: 'col' }, c)))),
        history))));

  let alias = null;
  const loadVersions = async () => {
    if (!config.value) return;
    const { versions } = await getJson(`/configs/${encodeURIComponent(config.value)}/versions`);
    fill(version, [...versions].reverse().map((v) => h('option', { value: v.version }, `${v.version}${v.is_active ? '' : ' (inactive)'}`)));
  };
  config.addEventListener('change', () => loadVersions().catch((e) => fill(message, e.message)));

  async function load() {
    try {
      alias = await getJson(path);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        fill(message, `No alias ${name}.`);
        return false;
      }
      throw e;
    }
    const back = alias.previous.length ? alias.previous[alias.previous.length - 1] : null;
    fill(summary,
      h('dt', {}, 'Target'), h('dd', { dataset: { field: 'target' } }, targetText(alias.target)),
      h('dt', {}, 'Rolls back to'), h('dd', { dataset: { field: 'rollback-target' } }, back ? targetText(back) : 'nothing: no earlier target'),
      h('dt', {}, 'Updated'), h('dd', {}, time(alias.updated_at)));
    rollback.disabled = !back;
    fill(history, alias.history.map((c) => h('tr', { dataset: { kind: c.kind, forced: String(c.forced) } },
      h('td', {}, h('time', { datetime: c.at }, time(c.at))),
      h('td', {}, changeKind(c)),
      h('td', {}, targetText(c.from)),
      h('td', {}, targetText(c.to)),
      h('td', {}, evidence(c.evidence)),
      h('td', {}, c.actor || ''),
      h('td', {}, c.reason || ''))));
    return true;
  }

  async function start() {
    const [ids, list] = await Promise.all([configIds(), getJson('/experiments').catch(() => ({ experiments: [] }))]);
    fill(config, ids.map((id) => h('option', { value: id }, id)));
    fill(experiments, list.experiments.map((x) => h('option', { value: x.id }, x.description || x.id)));
    if (await load()) {
      config.value = alias.target.config_id;
      await loadVersions();
    }
  }

  rollback.addEventListener('click', async () => {
    const back = alias.previous[alias.previous.length - 1];
    if (!(await confirmDialog(`Roll ${name} back from ${targetText(alias.target)} to ${targetText(back)}? New jobs on the alias run there.`, 'Roll back'))) return;
    await act('Rollback', () => postJson(`${path}/rollback`, { actor: ACTOR, reason: reason.value.trim() || undefined }));
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const to = `${config.value} version ${version.value}`;
    const cited = experiment.value.trim() && gate.value.trim() ? ` citing experiment ${experiment.value.trim()} and gate ${gate.value.trim()}` : '';
    const question = force.checked
      ? `Force ${name} to ${to}${cited}? It moves even if the gate does not pass, and the history marks it forced.`
      : `Promote ${name} to ${to}${cited}? It moves only if the gate passes.`;
    if (!(await confirmDialog(question, force.checked ? 'Force promotion' : 'Promote'))) return;
    await act('Promotion', () => postJson(`${path}/promote`, {
      config_id: config.value, version: Number(version.value), experiment: experiment.value.trim() || undefined,
      gate: gate.value.trim() || undefined, force: force.checked, actor: ACTOR, reason: reason.value.trim() || undefined,
    }));
  });

  async function act(what, call) {
    try {
      await call();
      fill(message);
      reason.value = '';
      force.checked = false;
    } catch (e) {
      fill(message, `${what} refused: ${e.message}`);
    }
    await load();
  }

  // Loaded once and after each change (a refresh would reset the form being filled in); a 401 asks for the token.
  const stop = every(0, async () => {
    await start();
    return false;
  });
  return () => stop();
}

function evidence(e) {
  if (!e) return '';
  return [e.experiment ? h('a', { href: experimentHref(e.experiment) }, e.experiment) : '', e.gate ? ` · gate ${e.gate}` : '',
    e.verdict ? [' · ', h('span', { class: `badge verdict-${e.verdict}` }, e.verdict)] : '', e.candidate_arm ? ` · arm ${e.candidate_arm}` : ''];
}
