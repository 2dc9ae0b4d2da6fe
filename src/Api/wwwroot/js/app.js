// The dashboard shell: hash routing (#/, #/runs/{id}, #/runs/{id}/programs, #/programs/{id}, #/compare/{a}/{b})
// so every page is linkable.
import { api } from './api.js';
import { h } from './dom.js';
import { renderRuns } from './pages/runs.js';
import { renderRun } from './pages/run.js';
import { renderProgram } from './pages/program.js';
import { renderPrograms } from './pages/programs.js';
import { renderCompare } from './pages/compare.js';

const routes = [
  [/^#?\/?$/, renderRuns],
  [/^#\/runs\/([^/]+)$/, renderRun],
  [/^#\/runs\/([^/]+)\/programs$/, renderPrograms],
  [/^#\/programs\/([^/]+)$/, renderProgram],
  [/^#\/compare\/([^/]+)\/([^/]+)$/, renderCompare],
];

let cleanup = null;

async function route() {
  cleanup?.();
  cleanup = null;
  const main = document.getElementById('main');
  const hash = location.hash || '#/';
  const match = routes.map(([pattern, render]) => [hash.match(pattern), render]).find(([m]) => m);
  main.replaceChildren();
  if (!match) {
    main.append(h('h1', { tabindex: '-1' }, 'Page not found'), h('p', {}, h('a', { href: '#/' }, 'Back to the runs')));
  } else {
    const [m, render] = match;
    cleanup = render(main, ...m.slice(1).map(decodeURIComponent)) ?? null;
  }

  // Screen readers hear the new page; keyboard users start from its heading.
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
    document.title = `${heading.textContent} · EvoCode`;
  }
  window.scrollTo(0, 0);
}

async function showHealth() {
  const element = document.getElementById('health');
  try {
    const health = await api.health();
    element.textContent = `Server ${health.status} · v${health.version} · store ${health.store?.provider ?? '?'} · sandbox ${health.sandbox?.isolation ?? '?'}`;
  } catch {
    element.textContent = 'Server unreachable';
  }
}

document.getElementById('skip-link').addEventListener('click', (e) => {
  e.preventDefault();
  document.getElementById('main').focus();
});
window.addEventListener('hashchange', route);
route();
showHealth();
