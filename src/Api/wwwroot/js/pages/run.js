// The run page: live summary, best score over evaluations and over time, the archive of each island,
// the Pareto front (runs with objectives), the map by meaning (runs with embeddings), the lineage tree, statistics per operator and per model, tokens and cost, settings and task.
// Each resource has one throttled refresher (at most one request in flight); the live stream starts from the
// newest event when the page opened, so opening a long run replays nothing.
import { api, status, isFinished } from '../api.js';
import { h, fill, field, download, formatScore, formatCost, formatInt, formatDuration, formatTime, statusBadge, throttle, errorMessage, shortId, retitle } from '../dom.js';
import { drawProgress, drawCost } from './run-charts.js';
import { drawSettings, words } from './run-settings.js';
import { frontPanel } from './run-front.js';
import { mapPanel } from './run-map.js';
import { heatmaps } from '../views/heatmap.js';
import { LineageView } from '../views/lineage.js';
import { controls, progress } from './runs.js';

export function renderRun(main, runId) {
  let run = null;
  let stopped = false;
  let closeEvents = null;
  let settingsShown = false;

  const title = h('h1', {}, 'Run');
  const headerInfo = h('div', { class: 'row', id: 'run-header' });
  const live = h('span', { class: 'hint', id: 'live-state', role: 'status', 'aria-live': 'polite' });
  const error = h('p', { class: 'error', role: 'alert' });
  const cards = h('dl', { class: 'cards', id: 'run-cards', 'aria-label': 'Run summary' });
  const chartEvaluations = h('div', { class: 'chart', id: 'chart-best' });
  const chartTime = h('div', { class: 'chart', id: 'chart-time' });
  const metricSelect = h('select', { id: 'chart-metric', onchange: () => refreshSeries() }, h('option', { value: 'score' }, 'score'));
  const archive = h('div', { class: 'islands', id: 'archive' }, h('p', { class: 'muted' }, 'Loading the archive…'));
  const archiveLegend = h('p', { class: 'legend' });
  const lineage = new LineageView({
    onOpen: (programId) => { location.hash = `#/programs/${programId}`; },
    onNeedWhole: () => { lineageNotBefore = 0; refreshLineage(); },
  });
  const bestPath = h('ol', { class: 'path-list', id: 'best-path', 'aria-label': 'Path from the seed to the best program' });
  const operatorStats = h('div', { class: 'table-wrap', id: 'operator-stats' });
  const modelStats = h('div', { class: 'table-wrap', id: 'model-stats' });
  const outcomeStats = h('div', { class: 'table-wrap', id: 'outcome-stats' });
  const usage = h('dl', { class: 'meta', id: 'usage' });
  const timeSplit = h('div', { class: 'table-wrap', id: 'time-split' });
  const topPrograms = h('div', { class: 'table-wrap', id: 'top-programs' });
  const costView = h('div', { id: 'cost-view' }, h('p', { class: 'muted' }, 'Loading…'));
  const settingsView = h('div', { id: 'settings-view' }, h('p', { class: 'muted' }, 'Loading…'));
  const insights = [frontPanel(runId, panel), mapPanel(runId, panel)];
  let latestSeries = null;
  let latestEnsemble = null;

  main.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Runs'), ' / ', h('span', { id: 'crumb-run' }, shortId(runId))),
    title, headerInfo, error, cards,
    h('p', { class: 'row' }, field('Chart metric', metricSelect),
      h('span', { class: 'hint' }, 'Hover a point to see its program, click (or focus the chart, use the arrow keys and Enter) to open it.')),
    h('div', { class: 'grid-2' },
      panel('Best score over evaluations', 'chart-best-heading', chartEvaluations,
        h('p', { class: 'legend' },
          h('span', {}, h('span', { class: 'swatch', style: 'background: var(--accent)' }), 'running best'),
          h('span', {}, h('span', { class: 'swatch', style: 'background:#21918c' }), 'correct program'),
          h('span', {}, h('span', { class: 'swatch', style: 'background: var(--danger)' }), 'incorrect program (lower band)'))),
      panel('Best score over time', 'chart-time-heading', chartTime)),
    panel('MAP-Elites archive', 'archive-heading',
      h('p', { class: 'hint' }, 'One grid per island; each filled cell holds its elite. Select a cell to open the program. The outlined cell holds the best program.'),
      archiveLegend, archive),
    ...insights.map((i) => i.element),
    panel('Lineage', 'lineage-heading', lineage.element,
      h('details', {}, h('summary', {}, 'Path from the seed to the best (as a list)'), bestPath)),
    h('div', { class: 'grid-2' },
      panel('Best programs', 'top-heading', topPrograms, h('p', {}, h('a', { href: `#/runs/${runId}/programs`, id: 'all-programs-link' }, 'All programs: search, sort, filter, compare'))),
      panel('Tokens and cost', 'usage-heading', usage, outcomeStats)),
    panel('Where the time went', 'time-heading', timeSplit),
    panel('Cost and models', 'cost-heading', costView),
    panel('Operators', 'operators-heading', operatorStats),
    panel('Models', 'models-heading', modelStats),
    panel('Settings and task', 'settings-heading', settingsView),
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
      run.bestProgramId ? h('a', { href: `#/programs/${run.bestProgramId}`, id: 'best-program-link', class: 'button' }, 'Open the best program') : null,
      run.bestProgramId ? h('button', { type: 'button', class: 'secondary', id: 'download-best', onclick: downloadBest }, 'Download the best source') : null,
      h('a', { href: api.exportUrl(runId), id: 'export-link', class: 'button secondary', download: `run-${runId}.jsonl` }, 'Export programs (JSON Lines)'));
    const budget = run.budget ?? {};
    const max = budget.maxEvaluations ?? run.maxEvaluations;
    fill(cards,
      card('Best score', formatScore(run.bestScore), 'best-score'),
      card('Evaluations', progress(run.evaluations ?? 0, max), 'evaluations'),
      card('Proposals', formatInt(run.proposals)),
      card('Rejected before evaluation', formatInt(run.rejections)),
      card('Improvements', formatInt(run.improvements)),
      card('Tokens in / out', `${formatInt(run.inputTokens)} / ${formatInt(run.outputTokens)}` + (budget.maxTokens ? ` of ${formatInt(budget.maxTokens)}` : '')),
      card('Cost', formatCost(run.cost) + (budget.maxCost ? ` of ${formatCost(budget.maxCost)}` : ''), 'cost'),
      card('Active time', formatDuration(run.activeSeconds) + (budget.maxWallTimeSeconds ? ` of ${formatDuration(budget.maxWallTimeSeconds)}` : '')),
      budget.targetScore !== null && budget.targetScore !== undefined ? card('Target score', formatScore(budget.targetScore)) : null,
      card('Started', formatTime(run.startedAt)));
    cards.dataset.status = status(run.status);
    cards.dataset.evaluations = String(run.evaluations ?? 0);
    if (!settingsShown) { settingsShown = true; drawSettings(settingsView, run); }
    refreshInsights();
    if (isFinished(run.status)) finish();
    else maybeOpenEvents();
  }), 1000);

  async function downloadBest() {
    try {
      const program = await api.program(run.bestProgramId);
      download(`best-program-${program.sequence ?? shortId(program.id)}.cs`, program.source ?? '');
    } catch (e) {
      error.textContent = `Could not download the best program: ${errorMessage(e)}`;
    }
  }

  // The charts' series; its first answer also says where the live stream starts (no replay of the history).
  const refreshSeries = throttle(guard(async () => {
    const series = await api.series(runId, metricSelect.value);
    if (stopped) return;
    latestSeries = series;
    if (metricSelect.options.length !== series.metrics.length) {
      const chosen = metricSelect.value;
      fill(metricSelect, ...series.metrics.map((m) => h('option', { value: m, selected: m === chosen }, m)));
    }
    drawProgress(chartEvaluations, chartTime, series, run);
    drawCost(costView, series, latestEnsemble);
    maybeOpenEvents();
  }), 2000);

  const refreshEnsemble = throttle(guard(async () => {
    latestEnsemble = await api.ensemble(runId);
    if (stopped || !latestSeries) return;
    drawCost(costView, latestSeries, latestEnsemble);
  }), 5000);

  const refreshStatistics = throttle(guard(async () => {
    const stats = await api.statistics(runId);
    if (stopped) return;
    renderStatistics(stats);
  }), 3000);

  const refreshTop = throttle(guard(async () => {
    const page = await api.programs(runId, { sort: 'score', order: 'desc', correct: true, pageSize: 10 });
    if (stopped) return;
    fill(topPrograms, programTable(page.items ?? [], 'Best programs of the run'));
  }), 3000);

  const refreshArchive = throttle(guard(async () => {
    const data = await api.archive(runId);
    if (stopped) return;
    const sections = heatmaps(data, run?.bestProgramId);
    const filled = (data.islands ?? []).reduce((n, i) => n + i.cells.length, 0);
    fill(archive, ...(sections.length ? sections : [h('p', { class: 'muted' }, 'The archive is empty so far.')]));
    archive.dataset.filled = String(filled);
    const elites = (data.islands ?? []).flatMap((i) => i.cells.map((c) => c.eliteId));
    lineage.setElites(elites);
    const dims = data.dimensions ?? [];
    fill(archiveLegend,
      h('span', {}, 'Low score ', h('span', { class: 'ramp' }), ' high score'),
      run?.statistics?.reachableCells ? h('span', { id: 'archive-cells' }, `Cells: ${run.statistics.filledCells} filled of ${run.statistics.reachableCells} reachable (all islands)`) : null,
      h('span', {}, `Dimensions: ${dims.map((d) => `${d.name} (${d.bins} bins, ${d.min}–${d.max}${d.scale && d.scale !== 'linear' ? `, ${d.scale}` : ''})`).join(' × ') || 'none'}`),
      dims.length > 2 ? h('span', {}, 'Dimensions beyond the second are projected: each cell shows its best elite.') : null);
  }), 2000);

  // A large tree costs a second or more to fetch and lay out, so it is refetched less often the longer that takes.
  let lineageNotBefore = 0;
  const refreshLineage = throttle(guard(async () => {
    if (performance.now() < lineageNotBefore) return;
    const started = performance.now();
    // By default only the ancestry that is drawn travels; the whole tree once the person expands or shows all.
    const data = await api.lineage(runId, lineage.needsWhole ? undefined : 'ancestry');
    if (stopped) return;
    lineage.update(data);
    lineageNotBefore = performance.now() + Math.min(60_000, 10 * (performance.now() - started));
    fill(bestPath, ...(data.bestPath ?? []).map((i) => h('li', {},
      h('a', { href: `#/programs/${data.ids[i]}` }, `${shortId(data.ids[i])}`),
      ` — ${data.operators?.[i] ?? '?'}, score ${formatScore(data.scores?.[i])}`)));
  }), 4000);

  // The front and the map draw only for runs that have objectives or embeddings; their panels stay hidden otherwise.
  const refreshInsights = throttle(guard(async () => {
    if (run) await Promise.all(insights.map((i) => i.refresh(run)));
  }), 3000);

  const refreshAll = () => { refreshRun(); refreshSeries(); refreshStatistics(); refreshTop(); refreshArchive(); refreshLineage(); refreshEnsemble(); refreshInsights(); };

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
      h('dt', {}, 'Cost'), h('dd', { id: 'usage-cost' }, formatCost(stats.cost)));
    fill(timeSplit, timeTable(time, stats.outcomes));
  }

  function finish() {
    closeEvents?.();
    closeEvents = () => {};
    clearInterval(poll);
    live.textContent = `The run is ${status(run.status)}.`;
  }

  // Live: refetch the small resources on events, throttled; a slow poll covers a dropped stream. The stream opens
  // once the run is known to be unfinished and the series has said which event is the newest.
  function maybeOpenEvents() {
    if (closeEvents || !run || isFinished(run.status) || !latestSeries) return;
    closeEvents = api.events(runId, latestSeries.lastEventId, (type) => {
      if (type === 'status') refreshAll();
      else if (type === 'new-best') { refreshRun(); refreshSeries(); refreshTop(); refreshLineage(); refreshArchive(); }
      else if (type === 'new-elite') { refreshArchive(); refreshLineage(); }
      else if (type === 'evaluated') { refreshRun(); refreshSeries(); refreshStatistics(); refreshLineage(); refreshEnsemble(); refreshInsights(); }
      else if (type === 'migration') refreshArchive();
    }, (state) => { live.textContent = state === 'open' ? 'Live updates on.' : `Live updates ${state}.`; });
  }
  const poll = setInterval(() => { if (!run || !isFinished(run.status)) refreshAll(); }, 5000);
  refreshAll();

  return () => {
    stopped = true;
    closeEvents?.();
    clearInterval(poll);
    for (const f of [refreshRun, refreshSeries, refreshStatistics, refreshTop, refreshArchive, refreshLineage, refreshEnsemble, refreshInsights]) f.cancel();
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

// The run's time split, in the order a program spends it (the same parts as a program's timings).
const TIME_PARTS = [
  ['startMs', 'Start', 'loading the run from the store'],
  ['selectMs', 'Select', 'sampling parents, building the request'],
  ['proposeMs', 'Propose', 'the operator (a model call or a built-in mutation)'],
  ['screenMs', 'Screen', 'duplicate checks and the compile check'],
  ['storeMs', 'Store', 'storing proposals, rejections and migrants'],
  ['queueMs', 'Queue', 'waiting for an evaluation slot and a sandbox worker'],
  ['compileMs', 'Compile', 'compiling for the evaluation'],
  ['runMs', 'Run', 'running the program'],
  ['scoreMs', 'Score', "the evaluator's scoring"],
  ['commitMs', 'Commit', 'committing the result'],
];

function timeTable(time, outcomes) {
  const evaluations = Object.values(outcomes ?? {}).reduce((a, b) => a + b, 0);
  const active = time.activeMs ?? 0;
  const share = (ms) => (active > 0 ? `${(100 * ms / active).toFixed(1)} %` : '—');
  const perEvaluation = (ms) => (evaluations > 0 ? `${(ms / evaluations).toFixed(1)} ms` : '—');
  const row = (key, name, what, ms) => h('tr', { 'data-part': key },
    h('th', { scope: 'row' }, name), h('td', {}, what), h('td', { class: 'num' }, formatDuration(ms / 1000)),
    h('td', { class: 'num' }, share(ms)), h('td', { class: 'num' }, perEvaluation(ms)));
  const parts = TIME_PARTS.map(([key, name, what]) => row(key, name, what, time[key] ?? 0));
  const total = TIME_PARTS.reduce((sum, [key]) => sum + (time[key] ?? 0), 0);
  return h('div', {},
    h('table', { 'aria-label': 'Where the run\'s time went' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Part'), h('th', { scope: 'col' }, 'What'),
        h('th', { scope: 'col', class: 'num' }, 'Time'), h('th', { scope: 'col', class: 'num' }, 'Share of active time'),
        h('th', { scope: 'col', class: 'num' }, 'Per evaluation'))),
      h('tbody', {}, parts),
      h('tfoot', {}, row('totalMs', 'All parts', 'summed over the slots in flight', total), row('activeMs', 'Active time', 'the run\'s wall time', active))),
    h('p', { class: 'hint' },
      `With one proposal and one evaluation at a time the parts add up to the active time; with more in flight they are summed over the slots. `
      + `Compiles reused: ${formatInt(time.screenCacheHits ?? 0)} screens, ${formatInt(time.compileCacheHits ?? 0)} evaluations.`));
}

function countsTable(counts, label, header) {
  const entries = Object.entries(counts ?? {});
  if (!entries.length) return h('p', { class: 'muted' }, 'None.');
  return h('table', { 'aria-label': label },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, header), h('th', { scope: 'col', class: 'num' }, 'Count'))),
    h('tbody', {}, entries.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', { class: 'num' }, formatInt(v))))));
}
