// Every call the dashboard makes to the EvoCode API (docs/api.md) lives here, so a change of shape is a one-place fix.

const KEY_STORAGE = 'evocode.apiKey';

export function apiKey() {
  return localStorage.getItem(KEY_STORAGE) ?? '';
}

export function setApiKey(value) {
  if (value) localStorage.setItem(KEY_STORAGE, value);
  else localStorage.removeItem(KEY_STORAGE);
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const key = apiKey();
  // Sent on reads too: a server may protect them (ApiKeys:ProtectReads).
  if (key) headers['X-Api-Key'] = key;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

const get = (path) => request('GET', path);
const post = (path, body) => request('POST', path, body ?? {});
const query = (params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};
const id = (value) => encodeURIComponent(value);

export const api = {
  health: () => get('/healthz'),
  evaluators: () => get('/api/evaluators'),
  models: () => get('/api/models'),
  examples: () => get('/api/examples'),

  problems: () => get('/api/problems?pageSize=500').then((page) => page.items),
  problem: (problemId) => get(`/api/problems/${id(problemId)}`),
  createProblem: (problem) => post('/api/problems', problem),
  createProblemFromExample: (name) => post(`/api/problems/examples/${id(name)}`),

  runs: (filter) => get(`/api/runs${query({ pageSize: 500, ...filter })}`).then((page) => page.items),
  run: (runId) => get(`/api/runs/${id(runId)}`),
  createRun: (problemId, name, settings) => post('/api/runs', { problemId, name: name || undefined, settings: settings ?? undefined }),
  pause: (runId) => post(`/api/runs/${id(runId)}/pause`),
  resume: (runId) => post(`/api/runs/${id(runId)}/resume`),
  cancel: (runId) => post(`/api/runs/${id(runId)}/cancel`),

  /** A page of programs: filters on any column, `q` for text in the source or reply, sort by any column. */
  programs: (runId, options) => get(`/api/runs/${id(runId)}/programs${query(options)}`),
  program: (programId) => get(`/api/programs/${id(programId)}`),
  ancestors: (programId) => get(`/api/programs/${id(programId)}/ancestors`),
  archive: (runId) => get(`/api/runs/${id(runId)}/archive`),
  /** The whole tree, or with `view: 'ancestry'` only the ancestry of the elites and the best (what is drawn by default). */
  lineage: (runId, view) => get(`/api/runs/${id(runId)}/lineage${query({ view })}`),
  statistics: (runId) => get(`/api/runs/${id(runId)}/statistics`),
  series: (runId, metric) => get(`/api/runs/${id(runId)}/series${query({ metric })}`),
  ensemble: (runId) => get(`/api/runs/${id(runId)}/ensemble`),
  /** The run's Pareto front over its objectives, with its correct programs behind it. */
  front: (runId) => get(`/api/runs/${id(runId)}/front`),
  map: (runId) => get(`/api/runs/${id(runId)}/map`),
  /** The run's programs as JSON Lines (a download link, not a fetch). */
  exportUrl: (runId) => `/api/runs/${id(runId)}/export`,

  /**
   * Live events of a run after event `after` (the newest id when the page loaded: no replay of the history);
   * `onEvent(type, data)` is called for each. Returns a function that closes the stream.
   */
  events(runId, after, onEvent, onState) {
    const source = new EventSource(`/api/runs/${id(runId)}/events${query({ lastEventId: after || undefined })}`);
    for (const type of ['status', 'new-best', 'new-elite', 'evaluated', 'error', 'migration']) {
      source.addEventListener(type, (e) => {
        let data = null;
        try { data = e.data ? JSON.parse(e.data) : null; } catch { data = e.data; }
        onEvent(type, data);
      });
    }
    source.onopen = () => onState?.('open');
    source.onerror = () => onState?.(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    return () => source.close();
  },
};

/** Run statuses as lower-case words, whatever casing the server uses for enums. */
export const status = (value) => String(value ?? '').toLowerCase();
export const isFinished = (value) => ['completed', 'cancelled', 'failed'].includes(status(value));
