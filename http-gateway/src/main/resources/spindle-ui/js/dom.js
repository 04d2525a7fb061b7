// Building DOM nodes without innerHTML: every value from the API goes in as text.

/** An element with attributes (on* keys become listeners) and children (strings become text). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2).toLowerCase(), v);
    } else if (k === 'class') {
      el.className = v;
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (v === true) {
      el.setAttribute(k, '');
    } else {
      el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of {@code el}. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A status word as a badge whose colour and text both say it. */
export function statusBadge(status) {
  return h('span', { class: `badge status-${status}` }, status.replaceAll('_', ' '));
}

/**
 * Asks for confirmation in a modal <dialog> (focus moves into it, Escape closes it); resolves true when the
 * user confirms.
 */
export function confirmDialog(question, confirmLabel) {
  return new Promise((resolve) => {
    const yes = h('button', { type: 'button', class: 'danger', 'data-confirm': 'yes' }, confirmLabel);
    const no = h('button', { type: 'button' }, 'Keep it');
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-question' },
      h('p', { id: 'confirm-question' }, question),
      h('div', { class: 'actions' }, no, yes));
    const close = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    yes.addEventListener('click', () => close(true));
    no.addEventListener('click', () => close(false));
    dialog.addEventListener('cancel', () => close(false));
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}
