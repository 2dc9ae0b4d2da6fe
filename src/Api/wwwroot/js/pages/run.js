// The run page: live summary, best score over evaluations and over time, the archive of each island,
// the lineage tree, statistics per operator and per model, tokens and cost.
import { api, status, isFinished } from '../api.js';
import { h, fill, formatScore, formatCost, formatInt, formatDuration, formatTime, statusBadge, throttle, errorMessage, shortId, retitle } from '../dom.js';
import { lineChart } from '../views/line-chart.js';
import { heatmaps } from '../views/heatmap.js';
import { LineageView } from '../views/lineage.js';
import { controls, progress } from './runs.js';

export function renderRun(main, runId) {
  let run = null;
  let stopped = false;
  let closeEvents = null;

  const title = h('h1', {}, 'Run');
  const headerInfo = h('div', { class: 'row', id: 'run-header' });
  const live = h('span', { class: 'hint', id: 'live-state', role: 'status', 'aria-live': 'polite' });
  const error = h('p', { class: 'error', role: 'alert' });
  const cards = h('dl', { class: 'cards', id: 'run-cards', 'aria-label': 'Run summary' });
  const chartEvaluations = h('div', { class: 'chart', id: 'chart-best' });
  const chartTime = h('div', { class: 'chart', id: 'chart-time' });
  const archive = h('div', { class: 'islands', id: 'archive' }, h('p', { class: 'muted' }, 'Loading the archive…'));
  const archiveLegend = h('p', { class: 'legend' });
  const lineage = new LineageView({ onOpen: (programId) => { location.hash = `#/programs/${programId}`; } });
  const bestPath = h('ol', { class: 'path-list', id: 'best-path', 'aria-label': 'Path from the seed to the best program' });
  const operatorStats = h('div', { class: 'table-wrap', id: 'operator-stats' });
  const modelStats = h('div', { class: 'table-wrap', id: 'model-stats' });
  const outcomeStats = h('div', { class: 'table-wrap', id: 'outcome-stats' });
  const usage = h('dl', { class: 'meta', id: 'usage' });
  const topPrograms = h('div', { class: 'table-wrap', id: 'top-programs' });

  main.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Runs'), ' / ', h('span', { id: 'crumb-run' }, shortId(runId))),
    title, headerInfo, error, cards,
    h('div', { class: 'grid-2' },
      panel('Best score over evaluations', 'chart-best-heading', chartEvaluations,
        h('p', { class: 'legend' },
          h('span', {}, h('span', { class: 'swatch', style: 'background: var(--accent)' }), 'running best'),
          h('span', {}, h('span', { class: 'swatch', style: 'background:#21918c' }), 'correct program'),
          h('span', {}, h('span', { class: 'swatch', style: 'background: var(--danger)' }), 'incorrect program'))),
      panel('Best score over time', 'chart-time-heading', chartTime)),
    panel('MAP-Elites archive', 'archive-heading',
      h('p', { class: 'hint' }, 'One grid per island; each filled cell holds its elite. Select a cell to open the program. The outlined cell holds the best program.'),
      archiveLegend, archive),
    panel('Lineage', 'lineage-heading', lineage.element,
      h('details', {}, h('summary', {}, 'Path from the seed to the best (as a list)'), bestPath)),
    h('div', { class: 'grid-2' },
      panel('Best programs', 'top-heading', topPrograms),
      panel('Tokens and cost', 'usage-heading', usage, outcomeStats)),
    panel('Operators', 'operators-heading', operatorStats),
    panel('Models', 'models-heading', modelStats),
    live);

  const guard = (fn) => async () => {
    if (stopped) return;
    try { await fn(); error.textContent = ''; } catch (e) { if (!stopped) error.textContent = errorMessage(e); }
  };

  const refreshRun = throttle(guard(async () => {
    run = await api.run(runId);
    if (stopped) return;
    title.textContent = run.name || `Run ${shortId(run.id)}`;
    document.getElementById('crumb-run').textContent = run.name || shortId(run.id);
    retitle(title.textContent);
    fill(headerInfo, 
      statusBadge(run.status),
      run.statusReason ? h('span', { class: 'muted' }, run.statusReason) : null,
      h('span', { class: 'muted' }, 'Problem: ', run.problemName ?? shortId(run.problemId)),
      controls(run, () => refreshRun()),
      run.bestProgramId ? h('a', { href: `#/programs/${run.bestProgramId}`, id: 'best-program-link', class: 'button' }, 'Open the best program') : null);
    const budget = run.budget ?? {};
    const max = budget.maxEvaluations ?? run.maxEvaluations;
    fill(cards, 
      card('Best score', formatScore(run.bestScore), 'best-score'),
      card('Evaluations', progress(run.evaluations ?? 0, max), 'evaluations'),
      card('Proposals', formatInt(run.proposals)),
      card('Rejected before evaluation', formatInt(run.rejections)),
      card('Improvements', formatInt(run.improvements)),
      card('Tokens in / out', `${formatInt(run.inputTokens)} / ${formatInt(run.outputTokens)}`),
      card('Cost', formatCost(run.cost) + (budget.maxCost ? ` of ${formatCost(budget.maxCost)}` : ''), 'cost'),
      card('Active time', formatDuration(run.activeSeconds) + (budget.maxWallTimeSeconds ? ` of ${formatDuration(budget.maxWallTimeSeconds)}` : '')),
      budget.targetScore !== null && budget.targetScore !== undefined ? card('Target score', formatScore(budget.targetScore)) : null,
      card('Started', formatTime(run.startedAt)));
    cards.dataset.status = status(run.status);
    cards.dataset.evaluations = String(run.evaluations ?? 0);
    if (isFinished(run.status)) finish();
  }), 800);

  const refreshStatistics = throttle(guard(async () => {
    const stats = await api.statistics(runId);
    if (stopped) return;
    const best = (stats.best ?? []).map((p) => [p.evaluation, p.score]);
    const scores = stats.scores ?? [];
    fill(chartEvaluations, lineChart({
      label: best.length ? `Running best score ${formatScore(best[best.length - 1][1])} after ${best[best.length - 1][0]} evaluations; ${scores.length} recent scores plotted.` : 'No evaluations yet.',
      xLabel: 'evaluations', yLabel: 'score',
      series: [
        { kind: 'dots', className: 'dot-correct', points: scores.filter((p) => p.correct !== false).map((p) => [p.sequence, p.score]) },
        { kind: 'dots', className: 'dot-incorrect', points: scores.filter((p) => p.correct === false).map((p) => [p.sequence, p.score]) },
        { kind: 'step', className: 'series-best', points: best },
      ],
    }));
    chartEvaluations.dataset.points = String(best.length);
    chartEvaluations.dataset.lastEvaluation = String(best.length ? best[best.length - 1][0] : 0);
    renderStatistics(stats);
  }), 1500);

  const refreshTop = throttle(guard(async () => {
    const page = await api.programs(runId, { sort: 'score', order: 'desc', correct: true, pageSize: 100 });
    if (stopped) return;
    const items = page.items ?? [];
    fill(topPrograms, programTable(items.slice(0, 10), 'Best programs of the run'));
    // Best over time: the running maximum over the top programs, by the time each was evaluated.
    const start = Date.parse(run?.startedAt ?? run?.createdAt ?? '') || Math.min(...items.map((p) => Date.parse(p.evaluatedAt ?? p.createdAt)));
    const points = items
      .map((p) => [(Date.parse(p.evaluatedAt ?? p.createdAt) - start) / 1000, p.score])
      .filter(([t, s]) => Number.isFinite(t) && Number.isFinite(s))
      .sort((a, b) => a[0] - b[0]);
    const running = [];
    for (const [t, s] of points) if (!running.length || s > running[running.length - 1][1]) running.push([t, s]);
    const end = run?.finishedAt ? (Date.parse(run.finishedAt) - start) / 1000 : (Date.now() - start) / 1000;
    fill(chartTime, lineChart({
      label: running.length ? `Best score ${formatScore(running[running.length - 1][1])} reached ${formatDuration(running[running.length - 1][0])} after the start.` : 'No correct program yet.',
      xLabel: 'seconds since start', yLabel: 'score', xFormat: (x) => formatDuration(x),
      series: [{ kind: 'step', className: 'series-best', points: running, extendTo: end }],
    }));
  }), 3000);

  const refreshArchive = throttle(guard(async () => {
    const data = await api.archive(runId);
    if (stopped) return;
    const sections = heatmaps(data, run?.bestProgramId);
    const filled = (data.islands ?? []).reduce((n, i) => n + i.cells.length, 0);
    fill(archive, ...(sections.length ? sections : [h('p', { class: 'muted' }, 'The archive is empty so far.')]));
    archive.dataset.filled = String(filled);
    const dims = data.dimensions ?? [];
    fill(archiveLegend, 
      h('span', {}, 'Low score ', h('span', { class: 'ramp' }), ' high score'),
      h('span', {}, `Dimensions: ${dims.map((d) => `${d.name} (${d.bins} bins, ${d.min}–${d.max}${d.scale && d.scale !== 'linear' ? `, ${d.scale}` : ''})`).join(' × ') || 'none'}`),
      dims.length > 2 ? h('span', {}, 'Dimensions beyond the second are projected: each cell shows its best elite.') : null);
  }), 2000);

  // A large tree costs a second or more to fetch and lay out, so it is refetched less often the longer that takes.
  let lineageNotBefore = 0;
  const refreshLineage = throttle(guard(async () => {
    if (performance.now() < lineageNotBefore) return;
    const started = performance.now();
    const data = await api.lineage(runId);
    if (stopped) return;
    lineage.update(data);
    lineageNotBefore = performance.now() + Math.min(60_000, 10 * (performance.now() - started));
    fill(bestPath, ...(data.bestPath ?? []).map((i) => h('li', {},
      h('a', { href: `#/programs/${data.ids[i]}` }, `${shortId(data.ids[i])}`),
      ` — ${data.operators?.[i] ?? '?'}, score ${formatScore(data.scores?.[i])}`)));
  }), 4000);

  const refreshAll = () => { refreshRun(); refreshStatistics(); refreshTop(); refreshArchive(); refreshLineage(); };

  function renderStatistics(stats) {
    fill(operatorStats, statsTable(stats.operators, 'Statistics per operator', 'Operator'));
    fill(modelStats, statsTable(stats.models, 'Statistics per model', 'Model', 'No model calls: the run uses the built-in operators.'));
    fill(outcomeStats, 
      h('h3', {}, 'Outcomes'), countsTable(stats.outcomes, 'Outcomes of evaluations', 'Outcome'),
      h('h3', {}, 'Rejections before evaluation'), countsTable(stats.rejections, 'Reasons for rejection', 'Reason'));
    const time = stats.time ?? {};
    fill(usage, 
      h('dt', {}, 'Input tokens'), h('dd', {}, formatInt(stats.tokens?.input ?? 0)),
      h('dt', {}, 'Output tokens'), h('dd', {}, formatInt(stats.tokens?.output ?? 0)),
      h('dt', {}, 'Cost'), h('dd', { id: 'usage-cost' }, formatCost(stats.cost)),
      h('dt', {}, 'Time proposing'), h('dd', {}, formatDuration((time.proposeMs ?? 0) / 1000)),
      h('dt', {}, 'Time evaluating'), h('dd', {}, formatDuration((time.evaluateMs ?? 0) / 1000)),
      h('dt', {}, 'Time storing'), h('dd', {}, formatDuration((time.storeMs ?? 0) / 1000)));
  }

  function finish() {
    closeEvents?.();
    closeEvents = null;
    clearInterval(poll);
    live.textContent = `The run is ${status(run.status)}.`;
  }

  // Live: refetch the small resources on events, throttled; a slow poll covers a dropped stream.
  closeEvents = api.events(runId, (type) => {
    if (type === 'status') refreshAll();
    else if (type === 'new-best') { refreshRun(); refreshStatistics(); refreshTop(); refreshLineage(); refreshArchive(); }
    else if (type === 'new-elite') { refreshArchive(); refreshLineage(); }
    else if (type === 'evaluated') { refreshRun(); refreshStatistics(); refreshLineage(); }
    else if (type === 'migration') refreshArchive();
  }, (state) => { live.textContent = state === 'open' ? 'Live updates on.' : `Live updates ${state}.`; });
  const poll = setInterval(() => { if (!run || !isFinished(run.status)) refreshAll(); }, 5000);
  refreshAll();

  return () => {
    stopped = true;
    closeEvents?.();
    clearInterval(poll);
    for (const f of [refreshRun, refreshStatistics, refreshTop, refreshArchive, refreshLineage]) f.cancel();
    lineage.destroy();
  };
}

function panel(title, id, ...children) {
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

function card(label, value, id) {
  return h('div', { class: 'card', id: id ? `card-${id}` : undefined }, h('dt', {}, label), h('dd', {}, value));
}

export function programTable(items, label) {
  if (!items.length) return h('p', { class: 'muted' }, 'None yet.');
  return h('table', { 'aria-label': label },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, '#'), h('th', { scope: 'col', class: 'num' }, 'Score'), h('th', { scope: 'col' }, 'Operator'),
      h('th', { scope: 'col' }, 'Island'), h('th', { scope: 'col' }, 'Generation'), h('th', { scope: 'col' }, 'Outcome'))),
    h('tbody', {}, items.map((p) => h('tr', {},
      h('td', {}, h('a', { href: `#/programs/${p.id}` }, `#${p.sequence ?? shortId(p.id)}`)),
      h('td', { class: 'num' }, formatScore(p.score)),
      h('td', {}, p.operator ?? ''),
      h('td', {}, p.island ?? ''),
      h('td', {}, p.generation ?? ''),
      h('td', {}, p.outcome ?? p.state ?? '')))));
}

function statsTable(byName, label, nameHeader, empty = 'Nothing yet.') {
  const entries = Object.entries(byName ?? {});
  if (!entries.length) return h('p', { class: 'muted' }, empty);
  const columns = [...new Set(entries.flatMap(([, v]) => (v && typeof v === 'object' ? Object.keys(v) : ['value'])))];
  const cell = (v) => {
    if (typeof v === 'number') return Number.isInteger(v) ? formatInt(v) : v < 1 && v > 0 ? `${(v * 100).toFixed(1)} %` : v.toFixed(3);
    return v === null || v === undefined ? '—' : String(v);
  };
  return h('table', { 'aria-label': label },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, nameHeader), columns.map((c) => h('th', { scope: 'col', class: 'num' }, words(c))))),
    h('tbody', {}, entries.map(([name, v]) => h('tr', {},
      h('th', { scope: 'row' }, name),
      columns.map((c) => h('td', { class: 'num' }, cell(v && typeof v === 'object' ? (c.toLowerCase().includes('cost') ? formatCost(v[c]) : v[c]) : v)))))));
}

function countsTable(counts, label, header) {
  const entries = Object.entries(counts ?? {});
  if (!entries.length) return h('p', { class: 'muted' }, 'None.');
  return h('table', { 'aria-label': label },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, header), h('th', { scope: 'col', class: 'num' }, 'Count'))),
    h('tbody', {}, entries.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', { class: 'num' }, formatInt(v))))));
}

/** camelCase → "camel case", for column headers. */
function words(name) {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
