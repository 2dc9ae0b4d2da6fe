// The program page: code, diff against its parent, metrics, evaluator artifacts, prompt and reply, children.
import { api } from '../api.js';
import { h, fill, download, formatScore, formatCost, formatInt, formatTime, errorMessage, shortId, retitle } from '../dom.js';
import { highlighted, diffView } from '../views/code.js';
import { programTable } from './run.js';

export function renderProgram(main, programId) {
  const title = h('h1', {}, `Program ${shortId(programId)}`);
  const crumbs = h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Runs'));
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  main.append(crumbs, title, body);
  let stopped = false;

  (async () => {
    let program;
    try {
      program = await api.program(programId);
    } catch (error) {
      fill(body, h('p', { class: 'error', role: 'alert' }, `Could not load the program: ${errorMessage(error)}`));
      return;
    }
    if (stopped) return;
    title.textContent = `Program #${program.sequence ?? shortId(program.id)}`;
    retitle(title.textContent);
    fill(crumbs, h('a', { href: '#/' }, 'Runs'), ' / ', h('a', { href: `#/runs/${program.runId}`, id: 'run-link' }, 'Run'), ' / ', title.textContent);
    const ancestry = h('ol', { class: 'path-list', 'aria-label': 'Ancestors from the seed' });
    const language = /^\s*(def |import |from |#)/m.test(program.source ?? '') && !/;\s*$/m.test(program.source ?? '') ? 'py' : 'cs';
    fill(body,
      h('div', { class: 'row actions' },
        h('button', { type: 'button', class: 'secondary', id: 'download-source', onclick: () => download(`program-${program.sequence}.${language}`, program.source ?? '') }, 'Download the source'),
        program.parentId ? h('a', { class: 'button secondary', id: 'compare-parent', href: `#/compare/${program.parentId}/${program.id}` }, 'Compare with the parent') : null,
        h('a', { href: `#/runs/${program.runId}/programs` }, 'All programs of the run')),
      h('div', { class: 'grid-2' },
        section('Summary', 'summary-heading', summary(program)),
        section('Metrics', 'metrics-heading', metrics(program))),
      section('Artifacts', 'artifacts-heading', artifacts(program.artifacts ?? [])),
      section('Code', 'code-heading', codeTabs(program)),
      program.error ? section('Error', 'error-heading', h('pre', { class: 'text' }, program.error)) : null,
      section('Conversation with the model', 'llm-heading', conversation(program)),
      h('div', { class: 'grid-2' },
        section('Children', 'children-heading', programTable(program.children ?? [], 'Children of this program')),
        section('Ancestry', 'ancestry-heading', ancestry)));

    try {
      const ancestors = await api.ancestors(programId);
      if (stopped) return;
      fill(ancestry, ...ancestors.slice().reverse().map((p) => h('li', {},
        p.id === program.id ? h('strong', {}, `#${p.sequence} (this program)`) : h('a', { href: `#/programs/${p.id}` }, `#${p.sequence}`),
        ` — ${p.operator ?? ''}, score ${formatScore(p.score)}${p.changeNote ? `: ${p.changeNote}` : ''}`)));
    } catch (error) {
      fill(ancestry, h('li', { class: 'error' }, errorMessage(error)));
    }
  })();

  return () => { stopped = true; };
}

function section(title, id, ...children) {
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

function summary(p) {
  const rows = [
    ['Score', h('span', { id: 'program-score' }, formatScore(p.score))],
    ['Correct', p.correct === null || p.correct === undefined ? '—' : p.correct ? 'yes' : 'no'],
    ['Outcome', p.outcome ?? '—'],
    ['State', p.state ?? '—'],
    ['Operator', p.operator ?? '—'],
    ['Change', h('span', { id: 'program-change' }, p.changeNote ?? '—')],
    ['Model', p.model ?? '—'],
    ['Island', p.island ?? '—'],
    ['Generation', p.generation ?? '—'],
    ['Archive cell', p.cellKey ?? '—'],
    ['Became an elite', p.becameElite ? 'yes' : 'no'],
    ['Parents', (p.parentIds?.length ? p.parentIds : p.parentId ? [p.parentId] : []).length
      ? (p.parentIds?.length ? p.parentIds : [p.parentId]).map((id, k) => [k ? ', ' : '', h('a', { href: `#/programs/${id}`, class: 'parent-link' }, shortId(id))])
      : 'none (seed)'],
    ['Tokens in / out', `${formatInt(p.inputTokens ?? 0)} / ${formatInt(p.outputTokens ?? 0)}`],
    ['Cost', formatCost(p.cost)],
    ['Created', formatTime(p.createdAt)],
    ['Evaluated', formatTime(p.evaluatedAt)],
  ];
  if (p.timings && typeof p.timings === 'object') {
    for (const [k, v] of Object.entries(p.timings)) rows.push([`Time: ${k}`, typeof v === 'number' ? `${v.toFixed(1)} ms` : String(v)]);
  }
  return h('dl', { class: 'meta' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function metrics(p) {
  const table = (obj, label) => {
    const entries = Object.entries(obj ?? {});
    if (!entries.length) return h('p', { class: 'muted' }, 'None.');
    return h('table', { 'aria-label': label },
      h('tbody', {}, entries.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k),
        h('td', { class: 'num' }, typeof v === 'number' ? formatScore(v) : typeof v === 'object' ? JSON.stringify(v) : String(v))))));
  };
  return [table(p.metrics, 'Metrics'), h('h3', {}, 'Features'), table(p.features, 'Features')];
}

function artifacts(list) {
  if (!list.length) return h('p', { class: 'muted' }, 'The evaluator left no artifacts.');
  return list.map((a) => {
    const type = (a.mediaType ?? '').toLowerCase();
    let view;
    if (type.startsWith('image/svg')) {
      // As an image, so any script inside the SVG never runs in the dashboard's origin.
      view = h('img', { class: 'artifact-svg', alt: `${a.name} (evaluator drawing)`, src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(a.content ?? '')}` });
    } else if (type.includes('json')) {
      let text = a.content ?? '';
      try { text = JSON.stringify(JSON.parse(text), null, 2); } catch { /* shown as it came */ }
      view = h('pre', { class: 'text', tabindex: '0' }, text);
    } else {
      view = h('pre', { class: 'text', tabindex: '0' }, a.content ?? '');
    }
    return h('figure', { class: 'artifact', dataset: { mediaType: type } },
      h('figcaption', {}, h('strong', {}, a.name), h('span', { class: 'muted' }, ` · ${a.mediaType}${a.forModel ? ' · shown to the model' : ''}`)),
      view);
  });
}

function codeTabs(p) {
  const language = p.language ?? 'csharp';
  const panels = {
    source: highlighted(p.source ?? '', language),
    diff: p.diff ? diffView(p.diff) : h('p', { class: 'muted' }, 'No parent to compare with: this is a seed.'),
  };
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Code views' });
  const holder = h('div', { role: 'tabpanel', id: 'code-panel', tabindex: '-1' });
  const buttons = {};
  const show = (name) => {
    for (const [k, b] of Object.entries(buttons)) { b.setAttribute('aria-selected', String(k === name)); b.tabIndex = k === name ? 0 : -1; }
    holder.setAttribute('aria-labelledby', `tab-${name}`);
    fill(holder, panels[name]);
  };
  for (const [name, label] of [['source', 'Source'], ['diff', 'Diff against the parent']]) {
    buttons[name] = h('button', { type: 'button', role: 'tab', id: `tab-${name}`, 'aria-controls': 'code-panel', onclick: () => show(name) }, label);
    tabs.append(buttons[name]);
  }
  tabs.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const next = buttons.source.getAttribute('aria-selected') === 'true' ? 'diff' : 'source';
    show(next);
    buttons[next].focus();
  });
  show(p.diff ? 'diff' : 'source');
  return [tabs, holder];
}

// Every turn of the conversation that made the program (from its model calls), refused replies included; all text as text.
function conversation(p) {
  const turns = p.conversation ?? [];
  if (!turns.length) return promptAndReply(p);
  return h('ol', { class: 'conversation', id: 'conversation' }, turns.map((t, k) => h('li', { class: 'turn', dataset: { outcome: t.outcome } },
    h('p', { class: 'turn-head' },
      h('strong', {}, `Turn ${k + 1}`),
      ` · ${t.model} · ${t.operator ?? ''} · attempt ${t.attempt} · ${t.outcome}`,
      t.editOutcome ? ` · edit: ${t.editOutcome}` : '',
      ` · ${formatInt(t.inputTokens ?? 0)} / ${formatInt(t.outputTokens ?? 0)} tokens${t.estimated ? ' (estimated)' : ''} · ${formatCost(t.cost)}`),
    h('details', { open: k === 0 ? undefined : true }, h('summary', {}, k === 0 ? 'Prompt' : 'Sent'), h('pre', { class: 'text turn-prompt', tabindex: '0' }, t.prompt ?? '')),
    t.reply !== null && t.reply !== undefined
      ? h('details', { open: true }, h('summary', {}, "The model's reply"), h('pre', { class: 'text turn-reply', tabindex: '0' }, t.reply))
      : h('p', { class: 'muted turn-error' }, t.error ?? 'No reply.'))));
}

function promptAndReply(p) {
  if (!p.prompt && !p.reply) return h('p', { class: 'muted' }, `No model call: made by ${p.operator ?? 'a built-in operator'}.`);
  return [
    h('details', {}, h('summary', {}, 'Prompt'), h('pre', { class: 'text', tabindex: '0' }, p.prompt ?? '')),
    h('details', {}, h('summary', {}, "The model's reply"), h('pre', { class: 'text', tabindex: '0' }, p.reply ?? '')),
  ];
}
