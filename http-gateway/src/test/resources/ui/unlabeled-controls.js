// Form controls on the page that have no accessible name: no <label>, aria-label or aria-labelledby, and (for a
// button) no text. Answers their outer HTML, cut short.
const named = (el) => (el.labels && el.labels.length > 0)
  || (el.getAttribute('aria-label') || '').trim() !== ''
  || (el.getAttribute('aria-labelledby') || '').split(/\s+/).some((id) => id && document.getElementById(id))
  || (el.tagName === 'BUTTON' && el.textContent.trim() !== '');
return [...document.querySelectorAll('input, select, textarea, button, audio, video, progress')]
  .filter((el) => el.type !== 'hidden' && !named(el))
  .map((el) => el.outerHTML.slice(0, 160));
