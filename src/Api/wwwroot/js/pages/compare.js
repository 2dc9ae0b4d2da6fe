// Two programs side by side: their metrics in one table, their code as a side-by-side line diff.
import { api } from '../api.js';
import { h, fill, formatScore, formatCost, formatInt, errorMessage, shortId, retitle } from '../dom.js';

export function renderCompare(main, leftId, rightId) {
  const title = h('h1', {}, 'Compare programs');
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const crumbs = h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Runs'));
  main.append(crumbs, title, body);
  let stopped = false;

  Promise.all([api.program(leftId), api.program(rightId)]).then(([a, b]) => {
    if (stopped) return;
    title.textContent = `Program #${a.sequence} and program #${b.sequence}`;
    retitle(title.textContent);
    fill(crumbs, h('a', { href: '#/' }, 'Runs'), ' / ', h('a', { href: `#/runs/${a.runId}/programs` }, 'Programs'), ' / compare');
    fill(body,
      h('section', { class: 'panel', 'aria-labelledby': 'compare-metrics-heading' },
        h('h2', { id: 'compare-metrics-heading' }, 'Metrics'), h('div', { class: 'table-wrap' }, metricsTable(a, b))),
      h('section', { class: 'panel', 'aria-labelledby': 'compare-code-heading' },
        h('h2', { id: 'compare-code-heading' }, 'Code'),
        h('p', { class: 'hint' }, 'Removed lines on the left, added lines on the right; unchanged runs of lines are folded.'),
        h('div', { class: 'table-wrap' }, sideBySide(a, b))));
  }).catch((error) => {
    if (!stopped) fill(body, h('p', { class: 'error', role: 'alert' }, `Could not load the programs: ${errorMessage(error)}`));
  });
  return () => { stopped = true; };
}

function metricsTable(a, b) {
  const names = [...new Set([...Object.keys(a.metrics ?? {}), ...Object.keys(b.metrics ?? {})])].sort();
  const rows = [
    ['Score', formatScore(a.score), formatScore(b.score)],
    ['Correct', yesNo(a.correct), yesNo(b.correct)],
    ['Outcome', a.outcome ?? '—', b.outcome ?? '—'],
    ['Operator', a.operator, b.operator],
    ['Model', a.model ?? '—', b.model ?? '—'],
    ['Island', String(a.island), String(b.island)],
    ['Generation', String(a.generation), String(b.generation)],
    ['Tokens in / out', `${formatInt(a.inputTokens ?? 0)} / ${formatInt(a.outputTokens ?? 0)}`, `${formatInt(b.inputTokens ?? 0)} / ${formatInt(b.outputTokens ?? 0)}`],
    ['Cost', formatCost(a.cost), formatCost(b.cost)],
    ...names.map((n) => [n, formatScore(a.metrics?.[n]), formatScore(b.metrics?.[n])]),
  ];
  return h('table', { 'aria-label': 'Metrics side by side', id: 'compare-metrics' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''),
      h('th', { scope: 'col', class: 'num' }, h('a', { href: `#/programs/${a.id}` }, `#${a.sequence}`)),
      h('th', { scope: 'col', class: 'num' }, h('a', { href: `#/programs/${b.id}` }, `#${b.sequence}`)))),
    h('tbody', {}, rows.map(([name, x, y]) => h('tr', { class: x !== y ? 'differs' : undefined },
      h('th', { scope: 'row' }, name), h('td', { class: 'num' }, x), h('td', { class: 'num' }, y)))));
}

const yesNo = (v) => (v === null || v === undefined ? '—' : v ? 'yes' : 'no');

/** A table of line pairs: unchanged, removed (left only), added (right only), with runs of unchanged lines folded. */
function sideBySide(a, b) {
  const rows = lineDiff((a.source ?? '').split('\n'), (b.source ?? '').split('\n'));
  const body = h('tbody');
  let same = [];
  const flush = (end) => {
    const keep = 3;
    if (same.length > keep * 2 + 1) {
      const head = rows.indexOf(same[0]) === 0 ? [] : same.slice(0, keep);
      const tail = end ? [] : same.slice(-keep);
      for (const r of head) body.append(row(r));
      body.append(h('tr', { class: 'fold' }, h('td', { colspan: 4 }, `… ${same.length - head.length - tail.length} unchanged lines …`)));
      for (const r of tail) body.append(row(r));
    } else for (const r of same) body.append(row(r));
    same = [];
  };
  for (const r of rows) {
    if (r.kind === 'same') same.push(r);
    else { flush(false); body.append(row(r)); }
  }
  flush(true);
  return h('table', { class: 'side-by-side', id: 'compare-diff', 'aria-label': `Code of #${a.sequence} and #${b.sequence} side by side` },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', colspan: 2 }, `#${a.sequence} (${shortId(a.id)})`), h('th', { scope: 'col', colspan: 2 }, `#${b.sequence} (${shortId(b.id)})`))),
    body);
}

function row(r) {
  return h('tr', { class: r.kind },
    h('td', { class: 'ln' }, r.left === null ? '' : String(r.leftNo)), h('td', { class: r.kind === 'del' ? 'del' : undefined }, h('code', {}, r.left ?? '')),
    h('td', { class: 'ln' }, r.right === null ? '' : String(r.rightNo)), h('td', { class: r.kind === 'add' ? 'add' : undefined }, h('code', {}, r.right ?? '')));
}

/** Longest-common-subsequence line diff, after trimming the common start and end (programs are at most 64 KiB). */
export function lineDiff(left, right) {
  let start = 0;
  while (start < left.length && start < right.length && left[start] === right[start]) start++;
  let endL = left.length;
  let endR = right.length;
  while (endL > start && endR > start && left[endL - 1] === right[endR - 1]) { endL--; endR--; }
  const a = left.slice(start, endL);
  const b = right.slice(start, endR);
  const n = a.length;
  const m = b.length;
  const table = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * (m + 1) + j] = a[i] === b[j] ? table[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(table[(i + 1) * (m + 1) + j], table[i * (m + 1) + j + 1]);
    }
  }
  const rows = [];
  const same = (l, r) => rows.push({ kind: 'same', left: left[l], right: right[r], leftNo: l + 1, rightNo: r + 1 });
  for (let k = 0; k < start; k++) same(k, k);
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { same(start + i, start + j); i++; j++; }
    else if (j < m && (i >= n || table[i * (m + 1) + j + 1] >= table[(i + 1) * (m + 1) + j])) { rows.push({ kind: 'add', left: null, right: b[j], rightNo: start + j + 1 }); j++; }
    else { rows.push({ kind: 'del', left: a[i], right: null, leftNo: start + i + 1 }); i++; }
  }
  for (let k = 0; k < left.length - endL; k++) same(endL + k, endR + k);
  return rows;
}
