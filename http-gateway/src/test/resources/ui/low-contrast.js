// Visible text whose colour is too close to its background for WCAG AA: below 4.5:1, or 3:1 for large text
// (24px, or 18.66px bold). The background is the first opaque one up the tree; disabled controls are exempt.
// Answers one line per offending element: ratio, element, text.
const parse = (c) => {
  const m = c.match(/rgba?\(([^)]+)\)/);
  if (!m) return null;
  const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
  return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
};
const luminance = ({ r, g, b }) => {
  const f = (v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
};
const background = (el) => {
  for (let e = el; e; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor);
    if (c && c.a > 0) return c;
  }
  return { r: 255, g: 255, b: 255, a: 1 };
};
const problems = [];
for (const el of document.querySelectorAll('body *')) {
  if (!el.checkVisibility() || el.closest(':disabled')) continue;
  const text = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent.trim()).join(' ').trim();
  if (!text) continue;
  const style = getComputedStyle(el);
  const bg = background(el);
  const fg = parse(style.color);
  const seen = { r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a), b: fg.b * fg.a + bg.b * (1 - fg.a) };
  const [hi, lo] = [luminance(seen), luminance(bg)].sort((x, y) => y - x);
  const ratio = (hi + 0.05) / (lo + 0.05);
  const size = parseFloat(style.fontSize);
  const large = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66);
  if (ratio < (large ? 3 : 4.5)) {
    problems.push(`${ratio.toFixed(2)}:1 <${el.tagName.toLowerCase()} class="${el.className}"> "${text.slice(0, 40)}"`);
  }
}
return problems;
