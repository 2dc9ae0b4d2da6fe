// The runs page: every run with its status, best score, progress and cost; start, pause, resume, cancel.
import { api, apiKey, setApiKey, status, isFinished } from '../api.js';
import { h, fill, field, formatScore, formatCost, formatInt, formatTime, statusBadge, errorMessage } from '../dom.js';

export function renderRuns(main) {
  const message = h('p', { role: 'status', 'aria-live': 'polite', class: 'muted' });
  const body = h('tbody');
  const table = h('table', { 'aria-label': 'Runs' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Run'), h('th', { scope: 'col' }, 'Problem'), h('th', { scope: 'col' }, 'Status'),
      h('th', { scope: 'col', class: 'num' }, 'Best score'), h('th', { scope: 'col' }, 'Progress'),
      h('th', { scope: 'col', class: 'num' }, 'Cost'), h('th', { scope: 'col' }, 'Created'), h('th', { scope: 'col' }, 'Actions'))),
    body);

  main.append(
    h('h1', {}, 'Runs'),
    h('section', { class: 'panel', 'aria-labelledby': 'runs-heading' },
      h('h2', { id: 'runs-heading' }, 'All runs'), message, h('div', { class: 'table-wrap' }, table)),
    startForm(),
    apiKeyForm());

  let stopped = false;
  async function refresh() {
    try {
      const runs = await api.runs();
      if (stopped) return;
      fill(body, ...runs.map(runRow));
      message.textContent = runs.length ? '' : 'No runs yet: start one below.';
      if (!runs.length) message.textContent = 'No runs yet: start one below.';
    } catch (error) {
      if (!stopped) message.textContent = `Could not load the runs: ${errorMessage(error)}`;
    }
  }

  function runRow(run) {
    const max = run.maxEvaluations ?? null;
    const done = run.evaluations ?? 0;
    return h('tr', { dataset: { runId: run.id } },
      h('td', {}, h('a', { href: `#/runs/${run.id}` }, run.name || run.id)),
      h('td', {}, run.problemName ?? ''),
      h('td', {}, statusBadge(run.status), run.statusReason ? h('div', { class: 'hint' }, run.statusReason) : null),
      h('td', { class: 'num' }, run.bestProgramId
        ? h('a', { href: `#/programs/${run.bestProgramId}`, 'aria-label': `Best program of ${run.name || 'the run'}, score ${formatScore(run.bestScore)}` }, formatScore(run.bestScore))
        : formatScore(run.bestScore)),
      h('td', {}, progress(done, max)),
      h('td', { class: 'num' }, formatCost(run.cost)),
      h('td', {}, formatTime(run.createdAt)),
      h('td', {}, controls(run, refresh)));
  }

  refresh();
  const timer = setInterval(refresh, 3000);
  return () => { stopped = true; clearInterval(timer); };
}

export function progress(done, max) {
  const label = max ? `${formatInt(done)} of ${formatInt(max)} evaluations` : `${formatInt(done)} evaluations`;
  return h('div', { class: 'progress' },
    max ? h('progress', { max, value: Math.min(done, max), 'aria-label': label }) : null,
    h('span', {}, max ? `${formatInt(done)} / ${formatInt(max)}` : formatInt(done)));
}

/** Pause, resume and cancel buttons, enabled as the run's status allows. */
export function controls(run, after) {
  const state = status(run.status);
  const name = run.name || 'run';
  const act = (label, call, cls) => h('button', {
    type: 'button',
    class: `small ${cls}`,
    'aria-label': `${label} ${name}`,
    onclick: async (e) => {
      e.currentTarget.disabled = true;
      try { await call(run.id); } catch (error) { alert(`${label} failed: ${errorMessage(error)}`); }
      await after?.();
    },
  }, label);
  if (isFinished(state)) return h('span', { class: 'muted' }, '—');
  return h('div', { class: 'row' },
    state === 'paused' ? act('Resume', api.resume, 'secondary') : act('Pause', api.pause, 'secondary'),
    act('Cancel', (runId) => confirmCancel(name).then((yes) => (yes ? api.cancel(runId) : null)), 'danger'));
}

/** Asks before cancelling: a cancelled run cannot be resumed. Resolves true when confirmed. */
function confirmCancel(name) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-heading' },
      h('h2', { id: 'confirm-heading' }, `Cancel ${name}?`),
      h('p', {}, 'A cancelled run stops for good: it cannot be resumed. Pause it instead to continue later.'),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'danger', onclick: () => dialog.close('yes') }, 'Cancel the run'),
        h('button', { type: 'button', class: 'secondary', autofocus: true, onclick: () => dialog.close('no') }, 'Keep it')));
    dialog.addEventListener('close', () => { dialog.remove(); resolve(dialog.returnValue === 'yes'); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

function startForm() {
  const sourceSelect = h('select', { id: 'start-source', name: 'source' },
    h('option', { value: 'example' }, 'An example problem'),
    h('option', { value: 'problem' }, 'A problem already on the server'),
    h('option', { value: 'new' }, 'A new problem (submit it)'));
  const exampleSelect = h('select', { id: 'start-example', name: 'example' });
  const problemSelect = h('select', { id: 'start-problem', name: 'problem' });
  const evaluatorSelect = h('select', { id: 'new-evaluator', name: 'evaluator' });
  const status = h('p', { id: 'start-status', role: 'status', 'aria-live': 'polite' });

  const exampleField = field('Example', exampleSelect);
  const problemField = field('Problem', problemSelect);
  const newFields = h('fieldset', { hidden: true },
    h('legend', {}, 'New problem'),
    h('div', { class: 'form-grid' },
      field('Name', h('input', { id: 'new-name', name: 'name', required: true, placeholder: 'my-problem' })),
      field('Title', h('input', { id: 'new-title', name: 'title' })),
      field('Evaluator', evaluatorSelect),
      field('Evaluator parameters (JSON)', h('input', { id: 'new-parameters', name: 'parameters', value: '{}' }))),
    field('Task description (given to the model)', h('textarea', { id: 'new-description', name: 'description', rows: 4 })),
    field('Seed program (with EVOLVE-BLOCK markers)', h('textarea', { id: 'new-seed', name: 'seed', rows: 10 })));

  const nameInput = h('input', { id: 'start-name', name: 'runName', placeholder: 'optional' });
  const maxEvaluations = h('input', { id: 'start-max-evaluations', name: 'maxEvaluations', type: 'number', min: 1, placeholder: 'problem default' });
  const islands = h('input', { id: 'start-islands', name: 'islands', type: 'number', min: 1, max: 64, placeholder: 'problem default' });
  const maxCost = h('input', { id: 'start-max-cost', name: 'maxCost', type: 'number', min: 0, step: 'any', placeholder: 'none' });
  const maxTokens = h('input', { id: 'start-max-tokens', name: 'maxTokens', type: 'number', min: 1, placeholder: 'none' });
  const maxMinutes = h('input', { id: 'start-max-minutes', name: 'maxWallTimeSeconds', type: 'number', min: 0, step: 'any', placeholder: 'none' });
  const selection = h('select', { id: 'start-selection', name: 'parentSelection' },
    h('option', { value: '' }, 'problem default'),
    ['power-law', 'weighted', 'uniform', 'hill-climb'].map((v) => h('option', { value: v }, v)));
  const policy = h('select', { id: 'start-policy', name: 'ensemblePolicy' },
    h('option', { value: '' }, 'problem default'), h('option', { value: 'fixed' }, 'fixed weights'), h('option', { value: 'bandit' }, 'bandit'));
  const models = h('fieldset', { id: 'start-models', name: 'models' }, h('legend', {}, 'Models'), h('p', { class: 'hint' }, 'Loading the configured models…'));
  const fieldControls = {
    maxEvaluations, islands, maxCost, maxTokens, maxWallTimeSeconds: maxMinutes, parentSelection: selection, ensemblePolicy: policy, models,
  };
  const submit = h('button', { type: 'submit', id: 'start-run' }, 'Start run');

  const showSource = () => {
    const v = sourceSelect.value;
    exampleField.hidden = v !== 'example';
    problemField.hidden = v !== 'problem';
    newFields.hidden = v !== 'new';
    // A hidden required field would block the form; a disabled fieldset is left out of validation.
    newFields.disabled = v !== 'new';
  };
  sourceSelect.addEventListener('change', showSource);
  showSource();

  const loadChoices = async () => {
    const [examples, problems, evaluators, configured] = await Promise.allSettled([api.examples(), api.problems(), api.evaluators(), api.models()]);
    const modelList = configured.status === 'fulfilled' ? (configured.value?.models ?? []) : [];
    fill(models, h('legend', {}, 'Models'), modelList.length
      ? [h('p', { class: 'hint' }, 'Tick the models to use (none: the problem default); the weight is each one\'s share of the calls.'),
        h('div', { class: 'form-grid' }, modelList.map((m, k) => h('div', { class: 'model-choice' },
          h('input', { type: 'checkbox', id: `start-model-${k}`, value: m.name, dataset: { model: m.name } }),
          h('label', { for: `start-model-${k}` }, `${m.name} (${m.provider})`),
          h('input', { type: 'number', id: `start-model-weight-${k}`, min: 0, step: 'any', value: 1, 'aria-label': `Weight of ${m.name}` }))))]
      : h('p', { class: 'hint' }, 'No language models are configured: the run uses the built-in operators.'));
    if (examples.status === 'fulfilled') {
      fill(exampleSelect, ...examples.value.map((e) => h('option', { value: e.name }, e.title ? `${e.title} (${e.name})` : e.name)));
    }
    if (problems.status === 'fulfilled') {
      fill(problemSelect, ...problems.value.map((p) => h('option', { value: p.id }, p.title ? `${p.title} (${p.name})` : p.name)));
    }
    if (evaluators.status === 'fulfilled') {
      const list = Array.isArray(evaluators.value) ? evaluators.value : (evaluators.value?.evaluators ?? []);
      fill(evaluatorSelect, ...list.map((e) => h('option', { value: e.id ?? e.name }, e.title ? `${e.title} (${e.id ?? e.name})` : (e.id ?? e.name))));
    }
  };
  loadChoices();

  // novalidate: the API is the validator, and its field errors are shown under the fields.
  const form = h('form', {
    class: 'panel', 'aria-labelledby': 'start-heading', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      submit.disabled = true;
      clearFieldErrors(form);
      status.className = '';
      status.textContent = 'Starting…';
      try {
        let problemId;
        if (sourceSelect.value === 'example') {
          problemId = (await api.createProblemFromExample(exampleSelect.value)).id;
        } else if (sourceSelect.value === 'problem') {
          problemId = problemSelect.value;
        } else {
          const value = (id) => document.getElementById(id).value;
          problemId = (await api.createProblem({
            name: value('new-name'),
            title: value('new-title') || undefined,
            description: value('new-description'),
            seed: value('new-seed'),
            evaluator: { id: evaluatorSelect.value, parameters: JSON.parse(value('new-parameters') || '{}') },
          })).id;
        }
        const settings = {};
        if (maxEvaluations.value) settings.maxEvaluations = Number(maxEvaluations.value);
        if (islands.value) settings.islands = Number(islands.value);
        if (maxCost.value) settings.maxCost = Number(maxCost.value);
        if (maxTokens.value) settings.maxTokens = Number(maxTokens.value);
        if (maxMinutes.value) settings.maxWallTimeSeconds = Number(maxMinutes.value) * 60;
        if (selection.value) settings.parentSelection = selection.value;
        if (policy.value) settings.ensemblePolicy = policy.value;
        const chosen = [...models.querySelectorAll('input[type=checkbox]:checked')];
        if (chosen.length) {
          settings.models = Object.fromEntries(chosen.map((c) => [c.dataset.model, Number(document.getElementById(c.id.replace('start-model-', 'start-model-weight-')).value || 1)]));
        }
        const run = await api.createRun(problemId, nameInput.value, Object.keys(settings).length ? settings : undefined);
        location.hash = `#/runs/${run.id}`;
      } catch (error) {
        status.className = 'error';
        const placed = showFieldErrors(error?.problem?.errors, fieldControls);
        status.textContent = placed ? `Could not start the run: ${error.message}. See the fields marked below.` : `Could not start the run: ${errorMessage(error)}`;
        submit.disabled = false;
      }
    },
  },
  h('h2', { id: 'start-heading' }, 'Start a run'),
  h('div', { class: 'form-grid' },
    field('Start from', sourceSelect), exampleField, problemField,
    field('Run name', nameInput),
    field('Max evaluations', maxEvaluations),
    field('Max cost (dollars)', maxCost),
    field('Max tokens', maxTokens),
    field('Max wall time (minutes)', maxMinutes),
    field('Islands', islands),
    field('Parent selection', selection),
    field('Model ensemble', policy)),
  models,
  newFields,
  h('div', { class: 'row' }, submit),
  status);
  return form;
}

/**
 * Shows the API's field errors (ProblemDetails `errors`, keyed settings.maxCost, problemId, ...) under their
 * controls; returns how many found a control (the rest stay in the form's status line).
 */
function showFieldErrors(errors, controls) {
  let placed = 0;
  for (const [key, messages] of Object.entries(errors ?? {})) {
    const name = key.replace(/^settings\./, '').split('.')[0];
    const control = controls[name];
    if (!control) continue;
    const id = `${control.id}-error`;
    const message = h('p', { class: 'field-error error', id }, [].concat(messages).join(' '));
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', id);
    (control.closest('.field') ?? control).append(message);
    placed++;
  }
  return placed;
}

function clearFieldErrors(form) {
  for (const e of form.querySelectorAll('.field-error')) e.remove();
  for (const c of form.querySelectorAll('[aria-invalid]')) { c.removeAttribute('aria-invalid'); c.removeAttribute('aria-describedby'); }
}

function apiKeyForm() {
  const input = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', value: apiKey() });
  return h('details', { class: 'panel' },
    h('summary', {}, 'API key'),
    h('p', { class: 'hint' }, 'Only needed when the server is configured with API keys. Kept in this browser (local storage) and sent as X-Api-Key. Live updates cannot carry a key, so with protected reads the run page falls back to polling.'),
    h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); setApiKey(input.value.trim()); } },
      field('Key', input),
      h('button', { type: 'submit', class: 'secondary' }, 'Save key')));
}
