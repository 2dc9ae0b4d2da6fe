// The programs of a run as a table: text search in the source or the model's reply, filters on every column,
// sorting by a column header, paging, and two ticked programs compared side by side.
import { api } from '../api.js';
import { h, fill, field, formatScore, formatInt, shortId, errorMessage, throttle, retitle } from '../dom.js';

const COLUMNS = [
  ['sequence', '#'], ['score', 'Score'], ['operator', 'Operator'], ['model', 'Model'],
  ['island', 'Island'], ['generation', 'Generation'], ['outcome', 'Outcome'],
];
const PAGE_SIZE = 50;

export function renderPrograms(main, runId) {
  const state = { sort: 'score', order: 'desc', page: 1 };
  const picked = [];
  let stopped = false;

  const text = h('input', { id: 'programs-text', type: 'search', placeholder: 'text in the source or reply' });
  const operator = h('input', { id: 'programs-operator', placeholder: 'any', list: 'programs-operators' });
  const model = h('input', { id: 'programs-model', placeholder: 'any' });
  const outcome = h('select', { id: 'programs-outcome' }, h('option', { value: '' }, 'any'),
    ['Ok', 'CompileError', 'RuntimeError', 'TimeLimit', 'MemoryLimit', 'OutputLimit', 'PolicyViolation', 'Crashed'].map((o) => h('option', { value: o }, o)));
  const correct = h('select', { id: 'programs-correct' }, h('option', { value: '' }, 'any'), h('option', { value: 'true' }, 'correct'), h('option', { value: 'false' }, 'incorrect'));
  const island = h('input', { id: 'programs-island', type: 'number', min: 0, placeholder: 'any' });
  const generation = h('input', { id: 'programs-generation', type: 'number', min: 0, placeholder: 'any' });
  const message = h('p', { id: 'programs-status', role: 'status', 'aria-live': 'polite', class: 'muted' });
  const table = h('div', { class: 'table-wrap', id: 'programs-table' });
  const pager = h('div', { class: 'row', id: 'programs-pager' });
  const compare = h('a', { class: 'button', id: 'compare-link', hidden: true }, 'Compare the two ticked programs');

  const heading = h('h1', {}, 'Programs');
  main.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Runs'), ' / ', h('a', { href: `#/runs/${runId}`, id: 'crumb-run' }, shortId(runId)), ' / programs'),
    heading,
    h('section', { class: 'panel', 'aria-labelledby': 'filters-heading' },
      h('h2', { id: 'filters-heading' }, 'Search and filter'),
      h('form', { class: 'form-grid', role: 'search', onsubmit: (e) => { e.preventDefault(); state.page = 1; refresh(); } },
        field('Text', text), field('Operator', operator), field('Model', model), field('Outcome', outcome),
        field('Correct', correct), field('Island', island), field('Generation', generation),
        h('button', { type: 'submit' }, 'Search'))),
    h('section', { class: 'panel', 'aria-labelledby': 'programs-heading' },
      h('h2', { id: 'programs-heading' }, 'Programs'), message, table, pager,
      h('p', { class: 'hint' }, 'Tick two programs to compare their code and metrics.'), compare));
  for (const control of [outcome, correct]) control.addEventListener('change', () => { state.page = 1; refresh(); });

  api.run(runId).then((run) => {
    if (stopped) return;
    const name = run.name || shortId(run.id);
    document.getElementById('crumb-run').textContent = name;
    heading.textContent = `Programs of ${name}`;
    retitle(heading.textContent);
  }).catch(() => {});

  const refresh = throttle(async () => {
    message.textContent = 'Loading…';
    try {
      const page = await api.programs(runId, {
        q: text.value, operator: operator.value.trim(), model: model.value.trim(), outcome: outcome.value, correct: correct.value,
        island: island.value, generation: generation.value, sort: state.sort, order: state.order, page: state.page, pageSize: PAGE_SIZE,
      });
      if (stopped) return;
      draw(page);
    } catch (error) {
      if (!stopped) message.textContent = `Could not load the programs: ${errorMessage(error)}`;
    }
  }, 300);

  function draw(page) {
    const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
    message.textContent = `${formatInt(page.total)} programs match; page ${page.page} of ${pages}.`;
    table.dataset.total = String(page.total);
    const header = ([key, label]) => {
      const sorted = state.sort === key;
      return h('th', { scope: 'col', 'aria-sort': sorted ? (state.order === 'asc' ? 'ascending' : 'descending') : 'none', class: key === 'score' ? 'num' : undefined },
        h('button', { type: 'button', class: 'link', onclick: () => {
          state.order = sorted && state.order === 'desc' ? 'asc' : sorted ? 'desc' : key === 'score' ? 'desc' : 'asc';
          state.sort = key;
          state.page = 1;
          refresh();
        } }, label, sorted ? (state.order === 'asc' ? ' ▲' : ' ▼') : ''));
    };
    fill(table, page.items.length ? h('table', { 'aria-label': 'Programs of the run' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Compare'), COLUMNS.map(header))),
      h('tbody', {}, page.items.map((p) => h('tr', {},
        h('td', {}, h('input', {
          type: 'checkbox', 'aria-label': `Compare program #${p.sequence}`, checked: picked.includes(p.id),
          onchange: (e) => pick(p.id, e.target.checked),
        })),
        h('td', {}, h('a', { href: `#/programs/${p.id}` }, `#${p.sequence}`)),
        h('td', { class: 'num' }, formatScore(p.score)),
        h('td', {}, p.operator), h('td', {}, p.model ?? '—'), h('td', {}, String(p.island)), h('td', {}, String(p.generation)),
        h('td', {}, p.correct === false && p.outcome === 'Ok' ? 'Incorrect' : (p.outcome ?? String(p.state ?? '').toLowerCase())))))) : h('p', { class: 'muted' }, 'No program matches.'));
    fill(pager,
      h('button', { type: 'button', class: 'secondary', disabled: page.page <= 1, onclick: () => { state.page--; refresh(); } }, 'Previous page'),
      h('span', {}, `Page ${page.page} of ${pages}`),
      h('button', { type: 'button', class: 'secondary', disabled: page.page >= pages, onclick: () => { state.page++; refresh(); } }, 'Next page'));
  }

  function pick(programId, on) {
    const at = picked.indexOf(programId);
    if (on && at < 0) picked.push(programId);
    if (!on && at >= 0) picked.splice(at, 1);
    while (picked.length > 2) picked.shift();
    compare.hidden = picked.length !== 2;
    if (picked.length === 2) compare.href = `#/compare/${picked[0]}/${picked[1]}`;
    for (const box of table.querySelectorAll('input[type=checkbox]')) {
      const id = box.closest('tr').querySelector('a').getAttribute('href').split('/').pop();
      box.checked = picked.includes(id);
    }
  }

  refresh();
  return () => { stopped = true; refresh.cancel(); };
}
