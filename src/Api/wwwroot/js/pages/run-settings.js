// The run's settings, the problem's task text (what the model is told) and the evaluator's published results.
import { api } from '../api.js';
import { h, fill, formatScore, errorMessage } from '../dom.js';

/** Fills `container` once: settings come with the run, the task and target need two small reads. */
export async function drawSettings(container, run) {
  const settings = h('dl', { class: 'meta settings', id: 'run-settings' },
    Object.entries(run.settings ?? {}).filter(([, v]) => v !== null && v !== undefined).flatMap(([name, value]) => [
      h('dt', {}, words(name)),
      h('dd', {}, typeof value === 'object' ? h('code', {}, JSON.stringify(value)) : String(value)),
    ]));
  const task = h('div', { id: 'problem-task' }, h('p', { class: 'muted' }, 'Loading the task…'));
  const target = h('div', { id: 'problem-target' });
  fill(container,
    h('div', { class: 'grid-2' },
      h('div', {}, h('h3', {}, 'Settings'), settings),
      h('div', {}, h('h3', {}, 'Task given to the model'), task, h('h3', {}, 'Published result'), target)));
  try {
    const [problem, evaluators] = await Promise.all([api.problem(run.problemId), api.evaluators()]);
    fill(task, h('pre', { class: 'task' }, problem.description ?? ''));
    const list = Array.isArray(evaluators) ? evaluators : (evaluators?.evaluators ?? []);
    const published = list.find((e) => e.id === problem.evaluatorId)?.published ?? [];
    fill(target, published.length
      ? h('ul', {}, published.map((p) => h('li', {},
        h('strong', {}, `${p.metric} ${formatScore(p.value)}`), ` on ${p.instance} — ${p.source}`, p.note ? ` (${p.note})` : null)))
      : h('p', { class: 'muted' }, 'The evaluator publishes no reference result.'));
  } catch (error) {
    fill(task, h('p', { class: 'error' }, `Could not load the problem: ${errorMessage(error)}`));
  }
}

/** camelCase → "camel case", for labels. */
export function words(name) {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
