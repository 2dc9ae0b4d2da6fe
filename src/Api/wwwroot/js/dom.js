// Small DOM and formatting helpers shared by the pages.

/** Creates an element: h('a', {href: '#/'}, 'text', child). Attributes starting with "on" become listeners. */
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'class') element.className = value;
    else if (name === 'text') element.textContent = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** Replaces an element's children, skipping null, undefined and false (replaceChildren would print "null"). */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

const svgNs = 'http://www.w3.org/2000/svg';
export function s(tag, attributes, ...children) {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value !== undefined && value !== null) element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) if (child) element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return element;
}

// Formatters made once: toLocaleString builds a new one on every call (one call per chart point and table cell),
// 65 ms of the 150-program run page's script in a CPU profile.
const integers = new Intl.NumberFormat('en');
const times = new Intl.DateTimeFormat('en-GB', { dateStyle: 'short', timeStyle: 'medium' });

export function formatScore(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const n = Number(value);
  if (Number.isInteger(n) && Math.abs(n) < 1e9) return integers.format(n);
  return Math.abs(n) >= 1000 || (Math.abs(n) < 0.001 && n !== 0) ? n.toExponential(4) : n.toFixed(6).replace(/\.?0+$/, '') || '0';
}

export function formatCost(value) {
  const n = Number(value ?? 0);
  return `$${n < 1 ? n.toFixed(4) : n.toFixed(2)}`;
}

export function formatInt(value) {
  return value === null || value === undefined ? '—' : integers.format(Number(value));
}

export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (Number(seconds) < 10) return `${Number(Number(seconds).toFixed(1))} s`;
  const s = Math.round(Number(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function formatTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : times.format(d);
}

export function shortId(value) {
  return String(value ?? '').slice(0, 8);
}

/**
 * Calls `fn` at most once per `ms`, always eventually with the latest call. The first call runs at once (nothing
 * waits its period first), and while the promise `fn` returns is pending no second call starts: a resource never
 * has two requests in flight, however often its events come.
 */
export function throttle(fn, ms) {
  let timer = null;
  let last = -Infinity;
  let pending = false;
  let running = false;
  const wrapped = () => {
    if (running) { pending = true; return; }
    const wait = last + ms - performance.now();
    if (wait > 0) {
      pending = true;
      if (!timer) timer = setTimeout(() => { timer = null; if (pending) wrapped(); }, wait);
      return;
    }
    pending = false;
    last = performance.now();
    running = true;
    Promise.resolve()
      .then(fn)
      .catch(() => {})
      .finally(() => {
        running = false;
        if (pending && !timer) timer = setTimeout(() => { timer = null; if (pending) wrapped(); }, Math.max(0, last + ms - performance.now()));
      });
  };
  wrapped.cancel = () => { clearTimeout(timer); timer = null; pending = false; };
  return wrapped;
}

/** Saves text as a file the browser downloads (no server round trip: the text is on the page already). */
export function download(name, text, type = 'text/plain') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A status badge whose text, not only colour, tells the status. */
export function statusBadge(value) {
  const word = String(value ?? 'unknown').toLowerCase();
  return h('span', { class: `badge badge-${word}` }, word);
}

/** Colour for a score in [0, 1] (a perceptually ordered blue → yellow ramp, readable on white). */
export function rampColor(t) {
  const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** Text colour readable on top of rampColor(t). */
export function rampTextColor(t) {
  return t > 0.55 ? '#111' : '#fff';
}

export function errorMessage(error) {
  if (error?.problem?.errors) {
    return `${error.message}: ${Object.entries(error.problem.errors).map(([k, v]) => `${k}: ${[].concat(v).join(' ')}`).join('; ')}`;
  }
  return error?.message ?? String(error);
}

/** Keeps the page title in step when a page fills in its heading after loading. */
export function retitle(text) {
  document.title = `${text} · EvoCode`;
}

/** A labelled form field: the label names only its control (a wrapping label would add the options' text). */
export function field(text, control) {
  return h('div', { class: 'field' }, h('label', { for: control.id }, text), control);
}
