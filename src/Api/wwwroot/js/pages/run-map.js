// The run page's "Map by meaning" panel (issue 19.2): the run's programs placed by the first two principal
// components of their code embeddings (GET /api/runs/{id}/map), coloured by score in five bands of equal count,
// so clusters of similar code and where the good programs sit show at a glance. Shown only for runs that store
// embeddings (semanticSimilarityThreshold set).
import { api } from '../api.js';
import { h, fill, formatScore } from '../dom.js';
import { lineChart } from '../views/line-chart.js';

const BANDS = 5;
const open = (programId) => { location.hash = `#/programs/${programId}`; };

/** The panel's parts: `element` to place, `refresh(run)` to refetch and redraw (a no-op for a run without embeddings). */
export function mapPanel(runId, panel) {
  const chart = h('div', { class: 'chart', id: 'chart-map' });
  const summary = h('p', { class: 'hint', id: 'map-summary' });
  const legend = h('p', { class: 'legend' },
    ...Array.from({ length: BANDS }, (_, i) => h('span', {}, h('span', { class: `swatch map-q${i}` }), ['lowest fifth of scores', 'second', 'middle', 'fourth', 'highest fifth'][i])),
    h('span', {}, h('span', { class: 'swatch map-incorrect' }), 'incorrect program'));
  const element = panel('Map by meaning', 'map-heading',
    h('p', { class: 'hint' }, 'Each program at the first two principal components of its code embedding: near points are programs with similar code. Click a point to open its program.'),
    chart, legend, summary);
  element.hidden = true;

  async function refresh(run) {
    if (run.settings?.semanticSimilarityThreshold === null || run.settings?.semanticSimilarityThreshold === undefined) return;
    const data = await api.map(runId);
    if (!data.points.length) return;
    element.hidden = false;
    const text = (p) => `#${p.sequence} ${p.operator}, island ${p.island}: ${p.correct ? `score ${formatScore(p.score)}` : 'incorrect'}`;
    const point = (p) => [p.x, p.y, { id: p.id, text: text(p) }];
    const correct = data.points.filter((p) => p.correct && Number.isFinite(p.score)).sort((a, b) => a.score - b.score);
    const bands = Array.from({ length: BANDS }, (_, i) => correct.slice(Math.floor(i * correct.length / BANDS), Math.floor((i + 1) * correct.length / BANDS)));
    const [pc1, pc2] = data.explainedVariance ?? [];
    const share = (v) => (Number.isFinite(v) ? ` (${(100 * v).toFixed(0)} % of the variance)` : '');
    fill(chart, lineChart({
      label: `${data.count} programs by meaning, coloured by score.`,
      xLabel: `component 1${share(pc1)}`, yLabel: `component 2${share(pc2)}`, xFormat: formatScore, onOpen: open,
      series: [
        { kind: 'dots', className: 'map-incorrect', points: data.points.filter((p) => !p.correct || !Number.isFinite(p.score)).map(point) },
        ...bands.map((band, i) => ({ kind: 'dots', className: `map-q${i}`, points: band.map(point) })),
      ],
    }));
    chart.dataset.points = String(data.points.length);
    summary.textContent = data.count < data.total
      ? `The newest ${data.count} of ${data.total} programs with an embedding.`
      : `${data.count} programs with an embedding.`;
  }

  return { element, refresh };
}
