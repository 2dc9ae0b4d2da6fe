// The run page's "Pareto front" panel (issue 19.1): a scatter of two of the run's objectives from
// GET /api/runs/{id}/front, every correct program a faint dot, the front's programs highlighted and joined.
// With more than two objectives, two selectors choose the axes. Shown only for runs with objectives.
import { api } from '../api.js';
import { h, fill, field, formatScore } from '../dom.js';
import { lineChart } from '../views/line-chart.js';

const open = (programId) => { location.hash = `#/programs/${programId}`; };

/** The panel's parts: `element` to place, `refresh(run)` to refetch and redraw (a no-op for a run of one score). */
export function frontPanel(runId, panel) {
  const chart = h('div', { class: 'chart', id: 'chart-front' });
  const xSelect = h('select', { id: 'front-x', onchange: () => draw() });
  const ySelect = h('select', { id: 'front-y', onchange: () => draw() });
  const axes = h('p', { class: 'row', hidden: true }, field('Horizontal objective', xSelect), field('Vertical objective', ySelect));
  const summary = h('p', { class: 'hint', id: 'front-summary' });
  const element = panel('Pareto front', 'front-heading',
    h('p', { class: 'hint' }, 'Every correct program is a grey dot; the programs no other program beats on every objective are highlighted and joined. Click a point to open its program.'),
    axes, chart, summary);
  element.hidden = true;
  let latest = null;

  function draw() {
    const objectives = latest.objectives;
    const x = Number(xSelect.value);
    const y = Number(ySelect.value);
    const label = (o) => `${o.metric} (${o.goal})`;
    const point = (p, what) => [p.values[x], p.values[y], { id: p.id, text: `#${p.sequence} ${what}: ${objectives[x].metric} ${formatScore(p.values[x])}, ${objectives[y].metric} ${formatScore(p.values[y])}` }];
    const front = [...latest.front].sort((a, b) => a.values[x] - b.values[x] || a.values[y] - b.values[y]);
    fill(chart, lineChart({
      label: `${latest.front.length} programs on the front of ${latest.total} correct programs.`,
      xLabel: label(objectives[x]), yLabel: label(objectives[y]), xFormat: formatScore, onOpen: open,
      series: [
        { kind: 'dots', className: 'dot-faint', points: latest.points.map((p) => point(p, 'program')) },
        { kind: 'line', className: 'front-line', points: front.map((p) => [p.values[x], p.values[y]]) },
        { kind: 'circles', className: 'front-point', points: front.map((p) => point(p, 'on the front')) },
      ],
    }));
    chart.dataset.frontPoints = String(front.length);
    chart.dataset.points = String(latest.points.length);
    summary.textContent = `${latest.front.length} programs on the front; ${latest.points.length} of ${latest.total} correct programs drawn.`;
  }

  async function refresh(run) {
    if ((run.settings?.objectives ?? []).length < 2) return;
    const data = await api.front(runId);
    if ((data.objectives ?? []).length < 2) return;
    const first = latest === null;
    latest = data;
    element.hidden = false;
    if (first) {
      const options = (chosen) => data.objectives.map((o, i) => h('option', { value: String(i), selected: i === chosen }, `${o.metric} (${o.goal})`));
      fill(xSelect, ...options(1));
      fill(ySelect, ...options(0));
      axes.hidden = data.objectives.length <= 2;
    }
    draw();
  }

  return { element, refresh };
}
