// The run page's charts from GET /api/runs/{id}/series: a metric over evaluations and over time (incorrect
// programs on their own band), the running best, and the cost view (tokens and dollars per model over time,
// best score against money spent, the model ensemble's state).
import { h, fill, formatScore, formatCost, formatInt, formatDuration } from '../dom.js';
import { lineChart } from '../views/line-chart.js';

const open = (programId) => { location.hash = `#/programs/${programId}`; };

const meta = (p, what) => ({ id: p.programId, text: `#${p.sequence} ${p.operator}${p.model ? ` (${p.model})` : ''}: ${what}` });

/** Fills the two progress charts; returns nothing. `metric` is the series' metric name. */
export function drawProgress(chartEvaluations, chartTime, series, run) {
  const metric = series.metric;
  const isScore = metric === 'score';
  const best = series.best.map((p) => [p.evaluation, p.value, meta(p, `best ${formatScore(p.value)}`)]);
  const correct = series.correct.map((p) => [p.evaluation, p.value, meta(p, `${metric} ${formatScore(p.value)}`)]);
  const incorrect = series.incorrect.map((p) => [p.evaluation, meta(p, 'incorrect')]);
  const last = series.best[series.best.length - 1];
  fill(chartEvaluations, lineChart({
    label: last
      ? `Best score ${formatScore(last.value)} first reached at evaluation ${last.evaluation} of ${series.evaluations}; ${series.incorrectEvaluations} incorrect programs on the lower band.`
      : 'No correct program yet.',
    xLabel: 'evaluations', yLabel: metric, onOpen: open,
    series: [
      { kind: 'dots', className: 'dot-correct', points: correct },
      isScore ? { kind: 'step', className: 'series-best', points: best, extendTo: series.evaluations } : { points: [] },
    ],
    band: { className: 'dot-incorrect', points: incorrect, label: 'incorrect' },
  }));
  chartEvaluations.dataset.points = String(series.correct.length + series.incorrect.length);
  chartEvaluations.dataset.lastEvaluation = String(series.evaluations);
  chartEvaluations.dataset.evaluations = String(series.evaluations);
  chartEvaluations.dataset.incorrect = String(series.incorrectEvaluations);

  const end = run?.finishedAt
    ? (Date.parse(run.finishedAt) - Date.parse(series.origin)) / 1000
    : Math.max(0, (Date.now() - Date.parse(series.origin)) / 1000);
  fill(chartTime, lineChart({
    label: last ? `Best score ${formatScore(last.value)} reached ${formatDuration(last.seconds)} after the start.` : 'No correct program yet.',
    xLabel: 'time since the start', yLabel: metric, xFormat: (x) => formatDuration(x), onOpen: open,
    series: [
      { kind: 'dots', className: 'dot-correct', points: series.correct.map((p) => [p.seconds, p.value, meta(p, `${metric} ${formatScore(p.value)} at ${formatDuration(p.seconds)}`)]) },
      isScore ? { kind: 'step', className: 'series-best', points: series.best.map((p) => [p.seconds, p.value, meta(p, `best ${formatScore(p.value)} at ${formatDuration(p.seconds)}`)]), extendTo: end } : { points: [] },
    ],
    band: { className: 'dot-incorrect', points: series.incorrect.map((p) => [p.seconds, meta(p, 'incorrect')]), label: 'incorrect' },
  }));
  chartTime.dataset.points = String(series.best.length);
}

/** The cost view: usage per model over time, best score against money, the ensemble's arms. */
export function drawCost(container, series, ensemble) {
  const models = series.models ?? [];
  const colours = ['#3b528b', '#21918c', '#b5367a', '#e07b00', '#5e3c99', '#2a9d3a'];
  const legend = h('p', { class: 'legend' }, models.map((m, i) => h('span', {},
    h('span', { class: 'swatch', style: `background:${colours[i % colours.length]}` }),
    `${m.model} (${formatInt(m.calls)} calls${m.unreportedCalls ? `, ${formatInt(m.unreportedCalls)} without reported tokens` : ''})`)));
  const usageChart = (label, yLabel, pick, yFormat) => lineChart({
    label, xLabel: 'time since the start', yLabel, xFormat: (x) => formatDuration(x), yFormat,
    series: models.map((m, i) => ({ kind: 'line', className: `series-model series-model-${i % colours.length}`, points: m.points.map((p) => [p.seconds, pick(p)]) })),
  });
  const cost = models.length
    ? [
      h('div', { class: 'chart', id: 'chart-cost' }, usageChart('Dollars spent over time per model', 'dollars', (p) => p.cost, (v) => formatCost(v))),
      h('div', { class: 'chart', id: 'chart-tokens' }, usageChart('Tokens (input + output) over time per model', 'tokens', (p) => p.inputTokens + p.outputTokens, compact)),
      legend,
    ]
    : [h('p', { class: 'muted' }, 'No model calls: the run uses the built-in operators, so it spends nothing.')];
  const byCost = series.bestByCost ?? [];
  fill(container,
    h('div', { class: 'grid-2' },
      h('div', {}, h('h3', {}, 'Tokens and dollars per model'), ...cost),
      h('div', {}, h('h3', {}, 'Best score against money spent'),
        h('div', { class: 'chart', id: 'chart-best-cost' }, lineChart({
          label: byCost.length ? `Best score ${formatScore(byCost[byCost.length - 1].score)} after ${formatCost(byCost[byCost.length - 1].cost)}.` : 'No correct program yet.',
          xLabel: 'dollars spent', yLabel: 'best score', xFormat: (x) => formatCost(x), onOpen: open,
          series: [{ kind: 'step', className: 'series-best', points: byCost.map((p) => [Number(p.cost), p.score, { id: p.programId, text: `best ${formatScore(p.score)} after ${formatCost(p.cost)}` }]) }],
        })),
        h('h3', {}, 'Model ensemble'), ensembleTable(ensemble?.state))));
}

const compactFormat = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** 6,000,000 → "6M": axis labels stay inside the chart's margin. */
function compact(v) {
  return compactFormat.format(v);
}

function ensembleTable(state) {
  const arms = Object.entries(state?.arms ?? {});
  if (!arms.length) return h('p', { class: 'muted', id: 'ensemble' }, 'No ensemble state yet (the run has not picked a model).');
  const total = arms.reduce((n, [, a]) => n + (a.pulls ?? 0), 0) || 1;
  return h('div', { class: 'table-wrap', id: 'ensemble' },
    h('p', { class: 'hint' }, `Policy: ${state.policy ?? '?'}. Share is each model's part of the picks so far.`),
    h('table', { 'aria-label': 'Model ensemble' },
      h('thead', {}, h('tr', {}, ['Model', 'Picks', 'Share', 'Mean reward', 'Cost'].map((c, i) => h('th', { scope: 'col', class: i ? 'num' : undefined }, c)))),
      h('tbody', {}, arms.map(([name, a]) => h('tr', {},
        h('th', { scope: 'row' }, name),
        h('td', { class: 'num' }, formatInt(a.pulls)),
        h('td', { class: 'num' }, `${(((a.pulls ?? 0) / total) * 100).toFixed(1)} %`),
        h('td', { class: 'num' }, a.pulls ? formatScore((a.rewardSum ?? 0) / a.pulls) : '—'),
        h('td', { class: 'num' }, formatCost(a.costSum)))))));
}
