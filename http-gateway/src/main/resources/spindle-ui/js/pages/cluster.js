// Cluster: every node with its roles, status and hosted configs; which node hosts which config, with the
// queue depth and worker states this node's /metrics reports for each.

import { getJson, getText } from '../api.js';
import { fill, h } from '../dom.js';
import { since, time } from '../format.js';
import { every } from '../poll.js';
import { parse } from '../prometheus.js';

const INTERVAL_MS = 5000;

export function renderCluster(main) {
  const nodes = h('tbody', { id: 'nodes-body' });
  const configs = h('tbody', { id: 'cluster-configs-body' });
  fill(main, h('h1', {}, 'Cluster'),
    h('section', { 'aria-labelledby': 'nodes-title' }, h('h2', { id: 'nodes-title' }, 'Nodes'),
      h('div', { class: 'table-wrap' }, h('table', { id: 'nodes-table' },
        h('thead', {}, h('tr', {}, ['Node', 'Address', 'Roles', 'Status', 'Reachable', 'Up for', 'Hosted configs']
          .map((c) => h('th', { scope: 'col' }, c)))), nodes))),
    h('section', { 'aria-labelledby': 'hosting-title' }, h('h2', { id: 'hosting-title' }, 'Configs and their nodes'),
      h('p', { class: 'muted' }, 'Queue depth and workers as this node sees them (its own dispatchers).'),
      h('div', { class: 'table-wrap' }, h('table', { id: 'cluster-configs-table' },
        h('thead', {}, h('tr', {}, ['Config', 'Nodes', 'Queue depth', 'Workers here']
          .map((c) => h('th', { scope: 'col' }, c)))), configs))));

  return every(INTERVAL_MS, async () => {
    const [n, c, metrics] = await Promise.all([getJson('/cluster/nodes'), getJson('/cluster/configs'),
      getText('/metrics').then(parse).catch(() => [])]);
    fill(nodes, n.nodes.map((node) => h('tr', { dataset: { node: node.node_name || node.address } },
      h('th', { scope: 'row' }, node.node_name || '', node.self ? h('span', { class: 'muted' }, ' (this node)') : null),
      h('td', { class: 'mono' }, node.address),
      h('td', {}, node.roles.join(', ')),
      h('td', {}, h('span', { class: `badge member-${node.status}` }, node.status)),
      h('td', {}, node.reachable ? 'yes' : h('strong', { class: 'error' }, 'no')),
      h('td', { title: time(node.up_since) }, since(node.up_since)),
      h('td', {}, node.hosted_configs.join(', ')))));
    const depth = new Map();
    const workers = new Map();
    for (const s of metrics) {
      if (s.name === 'spindle_queue_depth') depth.set(s.labels.config, s.value);
      if (s.name === 'spindle_workers' && s.value > 0) {
        const list = workers.get(s.labels.config) || [];
        list.push(`${s.value} ${s.labels.state}`);
        workers.set(s.labels.config, list);
      }
    }
    fill(configs, c.configs.map((cfg) => h('tr', { dataset: { config: cfg.config_id } },
      h('th', { scope: 'row' }, cfg.config_id),
      h('td', {}, cfg.nodes.join(', ')),
      h('td', {}, depth.has(cfg.config_id) ? String(depth.get(cfg.config_id)) : '—'),
      h('td', {}, (workers.get(cfg.config_id) || []).join(', ') || '—'))));
  });
}
