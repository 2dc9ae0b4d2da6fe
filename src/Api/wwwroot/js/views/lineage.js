// The lineage tree on a <canvas>: generations left to right, one path for all edges, hit-testing for clicks,
// and the path from the seed to the best highlighted. Stays readable and smooth with 100,000 programs: by
// default only the ancestry of the archive's elites and the best path is laid out (a selected node's children
// can be expanded, or the whole tree shown), and panning moves the cached picture instead of redrawing it.
// Longer than 300 lines because layout, painting and keyboard navigation share one set of arrays.
import { h, rampColor, formatScore } from '../dom.js';

const MARGIN = 16;
const ISLAND_COLOURS = ['#3b528b', '#21918c', '#b5367a', '#e07b00', '#5e3c99', '#2a9d3a', '#8a5300', '#0b57d0'];

export class LineageView {
  constructor({ onOpen, onNeedWhole }) {
    this.onOpen = onOpen;
    // Called when the person asks for more than the ancestry view holds (expand, show all): fetch the whole tree.
    this.onNeedWhole = onNeedWhole;
    this.data = null;
    this.selected = -1;
    this.view = null; // {ox, oy, kx, ky}
    this.canvas = h('canvas', {
      class: 'lineage-canvas',
      tabindex: '0',
      role: 'application',
      'aria-roledescription': 'lineage tree',
      'aria-label': 'Lineage tree. Arrow left: parent; arrow right: child (along the best path first); arrow up and down: neighbours in the same generation; Enter: open the program; B: the best program; plus and minus: zoom; 0: fit.',
    });
    this.status = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite' }, 'Click a node, or focus the tree and use the arrow keys.');
    this.zoomIn = h('button', { type: 'button', class: 'small secondary', onclick: () => this.zoom(1.5) }, 'Zoom in');
    this.zoomOut = h('button', { type: 'button', class: 'small secondary', onclick: () => this.zoom(1 / 1.5) }, 'Zoom out');
    this.fitButton = h('button', { type: 'button', class: 'small secondary', onclick: () => { this.view = null; this.userMoved = false; this.draw(); } }, 'Fit');
    this.bestButton = h('button', { type: 'button', class: 'small secondary', onclick: () => this.select(this.bestIndex(), true) }, 'Select best');
    this.collapsed = true;
    this.elites = [];
    this.expanded = new Set();
    this.colourBy = 'score';
    this.expandButton = h('button', { type: 'button', class: 'small secondary', id: 'lineage-expand', onclick: () => this.expandSelected() }, 'Expand selected (E)');
    this.allButton = h('button', { type: 'button', class: 'small secondary', id: 'lineage-all', 'aria-pressed': 'false', onclick: () => this.toggleAll() }, 'Show all programs');
    this.colourSelect = h('select', { id: 'lineage-colour', 'aria-label': 'Colour the lineage by', onchange: () => { this.colourBy = this.colourSelect.value; this.version = (this.version ?? 0) + 1; this.draw(); } },
      h('option', { value: 'score' }, 'Colour by score'), h('option', { value: 'island' }, 'Colour by island'));
    this.shownText = h('span', { class: 'hint', id: 'lineage-shown' });
    this.element = h('div', { class: 'lineage' },
      h('div', { class: 'row' }, this.zoomIn, this.zoomOut, this.fitButton, this.bestButton, this.expandButton, this.allButton, this.colourSelect, this.shownText),
      h('div', { class: 'row' },
        h('span', { class: 'legend' },
          h('span', {}, h('span', { class: 'swatch', style: 'background: var(--highlight)' }), 'seed → best'),
          h('span', {}, h('span', { class: 'ramp', style: 'width:80px' }), ' score'),
          h('span', {}, h('span', { class: 'swatch', style: 'background:#9ca3af' }), 'incorrect'))),
      this.canvas,
      this.status);
    this.pending = false;
    this.bindEvents();
    this.resizeObserver = new ResizeObserver(() => this.draw());
    this.resizeObserver.observe(this.canvas);
  }

  destroy() {
    this.resizeObserver.disconnect();
  }

  /** Whether the page must fetch the whole tree (not only the ancestry view of GET /lineage?view=ancestry). */
  get needsWhole() {
    return !this.collapsed || this.expanded.size > 0;
  }

  /** New data from GET /lineage: the whole tree or its ancestry view (childCounts set); what is shown is laid out by layout(). */
  update(lineage) {
    performance.mark('lineage-layout-start');
    const n = lineage?.ids?.length ?? 0;
    const parents = lineage.parents ?? [];
    const depth = new Int32Array(n).fill(-1);
    // Parents usually come first, but compute depth without assuming it (and without recursion).
    for (let i = 0; i < n; i++) {
      if (depth[i] >= 0) continue;
      const chain = [];
      let j = i;
      while (j >= 0 && depth[j] < 0 && chain.length <= n) { chain.push(j); j = parents[j] ?? -1; }
      let d = j >= 0 ? depth[j] : -1;
      for (let k = chain.length - 1; k >= 0; k--) depth[chain[k]] = ++d;
    }
    const allChildren = Array.from({ length: n }, () => []);
    for (let i = 0; i < n; i++) {
      const p = parents[i] ?? -1;
      if (p >= 0 && p < n) allChildren[p].push(i);
    }
    const index = new Map();
    for (let i = 0; i < n; i++) index.set(lineage.ids[i], i);
    const scores = lineage.scores ?? [];
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of scores) if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
    const selectedId = this.data && this.selected >= 0 ? this.data.ids[this.selected] : null;
    const expandedIds = this.data ? [...this.expanded].map((i) => this.data.ids[i]) : [];
    const partial = Array.isArray(lineage.childCounts);
    const childCounts = partial ? lineage.childCounts : allChildren.map((kids) => kids.length);
    this.tree = { ...lineage, n, total: lineage.total ?? n, partial, childCounts, parents, depth, allChildren, index, lo, hi, bestPath: lineage.bestPath ?? [], onPath: new Set(lineage.bestPath ?? []) };
    this.expanded = new Set(expandedIds.map((id) => index.get(id)).filter((i) => i !== undefined));
    this.layout(selectedId);
    if (this.expandAnnounce && !partial && this.selected >= 0) {
      this.expandAnnounce = false;
      this.status.textContent = `${this.describe(this.selected)} Its ${this.data.children[this.selected].length} children are shown.`;
    }
    performance.measure('lineage-layout', 'lineage-layout-start');
  }

  /** The archive's elites (program ids): their ancestry is what the collapsed tree shows. */
  setElites(ids) {
    const same = ids.length === this.elites.length && ids.every((id, k) => id === this.elites[k]);
    this.elites = ids;
    if (!same && this.tree && this.collapsed) this.layout(this.selectedId());
  }

  selectedId() {
    return this.data && this.selected >= 0 ? this.data.ids[this.selected] : null;
  }

  toggleAll() {
    this.collapsed = !this.collapsed;
    this.allButton.setAttribute('aria-pressed', String(!this.collapsed));
    this.allButton.textContent = this.collapsed ? 'Show all programs' : 'Show the elites\' ancestry only';
    if (this.tree) { this.userMoved = false; this.layout(this.selectedId()); }
    if (this.tree?.partial && this.needsWhole) this.onNeedWhole?.();
  }

  expandSelected() {
    if (!this.data || this.selected < 0) return;
    this.expanded.add(this.selected);
    if (this.tree.partial) {
      // The ancestry view lacks the children: they are shown (and announced) when the whole tree arrives.
      this.expandAnnounce = true;
      this.status.textContent = `${this.describe(this.selected)} Loading its children…`;
      this.onNeedWhole?.();
      return;
    }
    this.layout(this.selectedId());
    this.status.textContent = `${this.describe(this.selected)} Its ${this.data.children[this.selected].length} children are shown.`;
  }

  /** Lays out the shown nodes: every node (expanded) or the ancestry of the elites, the best path and expanded nodes' children. */
  layout(selectedId) {
    const t = this.tree;
    const n = t.n;
    const shown = new Uint8Array(n);
    if (!this.collapsed) shown.fill(1);
    else {
      // Ancestors are closed under "parent", so a walk stops at the first node already shown.
      const mark = (i) => { for (let j = i; j >= 0 && j < n && !shown[j]; j = t.parents[j]) shown[j] = 1; };
      for (const i of t.bestPath) mark(i);
      for (const id of this.elites) { const i = t.index.get(id); if (i !== undefined) mark(i); }
      for (const i of this.expanded) { mark(i); for (const c of t.allChildren[i]) mark(c); }
      if (!t.bestPath.length && n) mark(0);
    }
    const nodes = [];
    for (let i = 0; i < n; i++) if (shown[i]) nodes.push(i);
    const children = t.allChildren.map((kids, i) => (shown[i] ? kids.filter((c) => shown[c]) : []));
    // Depth-first order keeps each subtree together within a generation.
    const order = new Int32Array(n);
    let counter = 0;
    const stack = nodes.filter((i) => t.parents[i] < 0 || !shown[t.parents[i]]).reverse();
    while (stack.length) {
      const i = stack.pop();
      order[i] = counter++;
      for (let c = children[i].length - 1; c >= 0; c--) stack.push(children[i][c]);
    }
    let maxDepth = 0;
    let widest = 1;
    for (const i of nodes) if (t.depth[i] > maxDepth) maxDepth = t.depth[i];
    const layers = Array.from({ length: maxDepth + 1 }, () => []);
    for (const i of nodes) layers[t.depth[i]].push(i);
    const y = new Float32Array(n);
    const rank = new Int32Array(n);
    for (const layer of layers) {
      if (layer.length > widest) widest = layer.length;
      layer.sort((a, b) => order[a] - order[b]);
      layer.forEach((i, r) => { rank[i] = r; y[i] = (r + 0.5) / layer.length; });
    }
    this.version = (this.version ?? 0) + 1;
    this.data = { ...t, nodes: Int32Array.from(nodes), shown, y, rank, layers, children, maxDepth, widest };
    this.selected = selectedId ? (t.index.get(selectedId) ?? -1) : -1;
    if (this.selected >= 0 && !shown[this.selected]) this.selected = -1;
    this.canvas.dataset.shown = String(nodes.length);
    this.canvas.dataset.total = String(t.total);
    this.shownText.textContent = this.collapsed
      ? `Showing ${nodes.length.toLocaleString('en')} of ${t.total.toLocaleString('en')} programs: the ancestry of the elites and the best.`
      : t.partial ? `Loading all ${t.total.toLocaleString('en')} programs…` : `Showing all ${t.total.toLocaleString('en')} programs.`;
    // A growing tree is refitted on each update until the person zooms or pans.
    if (!this.userMoved) this.view = null;
    this.draw();
  }

  bestIndex() {
    const path = this.data?.bestPath ?? [];
    return path.length ? path[path.length - 1] : -1;
  }

  fit(width, height) {
    const d = this.data;
    const kx = (width - 2 * MARGIN) / Math.max(1, d.maxDepth);
    return { ox: MARGIN + (d.maxDepth === 0 ? (width - 2 * MARGIN) / 2 : 0), oy: MARGIN, kx, ky: height - 2 * MARGIN };
  }

  toScreen(i) {
    const v = this.view;
    return [v.ox + this.data.depth[i] * v.kx, v.oy + this.data.y[i] * v.ky];
  }

  draw() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.paint(); });
  }

  paint() {
    performance.mark('lineage-paint-start');
    try {
      this.paintNow();
    } finally {
      performance.measure('lineage-paint', 'lineage-paint-start');
    }
  }

  paintNow() {
    const canvas = this.canvas;
    const rect = canvas.getBoundingClientRect();
    if (!rect.width || !this.data) return;
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(rect.width * dpr) || canvas.height !== Math.round(rect.height * dpr)) {
      canvas.width = Math.round(rect.width * dpr);
      canvas.height = Math.round(rect.height * dpr);
    }
    const d = this.data;
    this.view ??= this.fit(rect.width, rect.height);
    const v = this.view;
    // The tree itself is drawn once per data or view change into a cached layer; moving the selection only
    // repaints the small overlay, so keyboard navigation stays quick with 100,000 programs.
    // While panning only the offset changes: the cached picture is moved, and redrawn once the drag rests.
    const key = `${this.version}|${v.kx}|${v.ky}|${canvas.width}|${canvas.height}`;
    const moving = this.dragging && key === this.baseKey;
    if (!moving && (key !== this.baseKey || v.ox !== this.baseView.ox || v.oy !== this.baseView.oy)) {
      this.base ??= document.createElement('canvas');
      this.base.width = canvas.width;
      this.base.height = canvas.height;
      const b = this.base.getContext('2d');
      b.setTransform(dpr, 0, 0, dpr, 0, 0);
      b.clearRect(0, 0, rect.width, rect.height);
      this.paintTree(b, d, v, rect);
      this.baseKey = key;
      this.baseView = { ox: v.ox, oy: v.oy };
    }
    const shiftX = v.ox - this.baseView.ox;
    const shiftY = v.oy - this.baseView.oy;
    const ctx = canvas.getContext('2d');
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(this.base, Math.round(shiftX * dpr), Math.round(shiftY * dpr));
    ctx.setTransform(dpr, 0, 0, dpr, shiftX * dpr, shiftY * dpr);
    this.frames = (this.frames ?? 0) + 1;
    if (!d.n) return;
    const px = this.px;
    const py = this.py;
    const size = this.nodeSize;
    if (this.selected >= 0 && this.selected < d.n) {
      const i = this.selected;
      ctx.strokeStyle = '#111';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(px[i], py[i], Math.max(7, size + 4), 0, Math.PI * 2);
      ctx.stroke();
      ctx.strokeStyle = '#f59f00';
      ctx.beginPath();
      ctx.arc(px[i], py[i], Math.max(9, size + 6), 0, Math.PI * 2);
      ctx.stroke();
    }
  }

  paintTree(ctx, d, v, rect) {
    if (!d.n) { ctx.fillStyle = '#4d5560'; ctx.font = '14px sans-serif'; ctx.fillText('No programs yet', 20, 30); return; }
    const px = new Float32Array(d.n);
    const py = new Float32Array(d.n);
    const nodes = d.nodes;
    for (const i of nodes) { px[i] = v.ox + d.depth[i] * v.kx; py[i] = v.oy + d.y[i] * v.ky; }
    this.px = px;
    this.py = py;

    // All edges in one stroke.
    ctx.strokeStyle = 'rgba(100, 116, 139, 0.35)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const i of nodes) {
      const p = d.parents[i];
      if (p < 0 || p >= d.n || !d.shown[p]) continue;
      // Edges wholly off screen are skipped: zoomed in on a large tree, most are.
      if ((px[p] < 0 && px[i] < 0) || (px[p] > rect.width && px[i] > rect.width) || (py[p] < 0 && py[i] < 0) || (py[p] > rect.height && py[i] > rect.height)) continue;
      ctx.moveTo(px[p], py[p]);
      ctx.lineTo(px[i], py[i]);
    }
    ctx.stroke();

    // Nodes batched by colour bucket so the fill style changes at most 17 times.
    const size = this.nodeSize = Math.max(2, Math.min(7, Math.min(v.kx, v.ky / d.widest) * 0.6));
    const byIsland = this.colourBy === 'island';
    const buckets = Array.from({ length: 17 }, () => []);
    for (const i of nodes) {
      if (px[i] < -size || px[i] > rect.width + size || py[i] < -size || py[i] > rect.height + size) continue;
      const s = d.scores[i];
      const ok = d.correct ? d.correct[i] !== false : true;
      if (!ok || !Number.isFinite(s)) buckets[16].push(i);
      else if (byIsland) buckets[(d.islands?.[i] ?? 0) % ISLAND_COLOURS.length].push(i);
      else buckets[Math.min(15, Math.floor((d.hi > d.lo ? (s - d.lo) / (d.hi - d.lo) : 1) * 15.999))].push(i);
    }
    buckets.forEach((bucket, b) => {
      ctx.fillStyle = b === 16 ? '#9ca3af' : byIsland ? ISLAND_COLOURS[b % ISLAND_COLOURS.length] : rampColor(b / 15);
      for (const i of bucket) ctx.fillRect(px[i] - size / 2, py[i] - size / 2, size, size);
    });

    // The path from the seed to the best.
    if (d.bestPath.length) {
      ctx.strokeStyle = '#d6336c';
      ctx.lineWidth = 3;
      ctx.beginPath();
      d.bestPath.forEach((i, k) => (k ? ctx.lineTo(px[i], py[i]) : ctx.moveTo(px[i], py[i])));
      ctx.stroke();
      ctx.fillStyle = '#d6336c';
      for (const i of d.bestPath) { ctx.beginPath(); ctx.arc(px[i], py[i], Math.max(3, size * 0.7), 0, Math.PI * 2); ctx.fill(); }
    }

  }

  hit(x0, y0) {
    if (!this.px) return -1;
    const x = x0 - (this.view.ox - this.baseView.ox);
    const y = y0 - (this.view.oy - this.baseView.oy);
    let best = -1;
    let bestDistance = 10 * 10;
    for (const i of this.data.nodes) {
      const dx = this.px[i] - x;
      const dy = this.py[i] - y;
      const dd = dx * dx + dy * dy;
      if (dd < bestDistance) { bestDistance = dd; best = i; }
    }
    return best;
  }

  describe(i) {
    const d = this.data;
    const onPath = d.onPath.has(i);
    return `Program ${String(d.ids[i]).slice(0, 8)}: generation ${d.depth[i]}, score ${formatScore(d.scores[i])}` +
      `${d.correct && d.correct[i] === false ? ' (incorrect)' : ''}, operator ${d.operators?.[i] ?? '?'}, island ${d.islands?.[i] ?? '?'}` +
      `, ${d.childCounts[i]} children${d.children[i].length < d.childCounts[i] ? ` (${d.children[i].length} shown; E expands)` : ''}${onPath ? ', on the path to the best' : ''}. Enter opens it.`;
  }

  select(i, scrollIntoView) {
    if (!this.data || i < 0 || i >= this.data.n || !this.data.shown[i]) return;
    this.selected = i;
    this.status.textContent = this.describe(i);
    if (scrollIntoView && this.view && this.px) {
      const rect = this.canvas.getBoundingClientRect();
      const [x, y] = this.toScreen(i);
      if (x < 0 || x > rect.width || y < 0 || y > rect.height) {
        this.view.ox += rect.width / 2 - x;
        this.view.oy += rect.height / 2 - y;
        this.userMoved = true;
      }
    }
    this.draw();
  }

  zoom(factor, cx, cy) {
    if (!this.view) return;
    this.userMoved = true;
    const rect = this.canvas.getBoundingClientRect();
    const x = cx ?? rect.width / 2;
    const y = cy ?? rect.height / 2;
    const v = this.view;
    v.ox = x - (x - v.ox) * factor;
    v.oy = y - (y - v.oy) * factor;
    v.kx *= factor;
    v.ky *= factor;
    this.draw();
  }

  bindEvents() {
    const c = this.canvas;
    let drag = null;
    c.addEventListener('pointerdown', (e) => {
      drag = { x: e.clientX, y: e.clientY, moved: false };
      this.dragging = true;
      c.setPointerCapture(e.pointerId);
    });
    c.addEventListener('pointermove', (e) => {
      if (!drag || !this.view) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      drag.moved = true;
      this.userMoved = true;
      this.view.ox += dx;
      this.view.oy += dy;
      drag.x = e.clientX;
      drag.y = e.clientY;
      this.draw();
    });
    c.addEventListener('pointerup', (e) => {
      const wasDrag = drag?.moved;
      drag = null;
      this.dragging = false;
      if (wasDrag) { this.draw(); return; }
      const rect = c.getBoundingClientRect();
      const i = this.hit(e.clientX - rect.left, e.clientY - rect.top);
      if (i < 0) return;
      if (i === this.selected) this.onOpen(this.data.ids[i]);
      else this.select(i);
    });
    c.addEventListener('dblclick', (e) => {
      const rect = c.getBoundingClientRect();
      const i = this.hit(e.clientX - rect.left, e.clientY - rect.top);
      if (i >= 0) this.onOpen(this.data.ids[i]);
    });
    c.addEventListener('wheel', (e) => {
      e.preventDefault();
      const rect = c.getBoundingClientRect();
      this.zoom(e.deltaY < 0 ? 1.2 : 1 / 1.2, e.clientX - rect.left, e.clientY - rect.top);
    }, { passive: false });
    c.addEventListener('keydown', (e) => this.onKey(e));
  }

  onKey(e) {
    const d = this.data;
    if (!d || !d.n) return;
    let i = this.selected;
    if (i < 0 && ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Enter'].includes(e.key)) {
      e.preventDefault();
      this.select(d.bestPath[0] ?? d.nodes[0], true);
      return;
    }
    switch (e.key) {
      case 'ArrowLeft': i = d.parents[i] >= 0 ? d.parents[i] : i; break;
      case 'ArrowRight': {
        const kids = d.children[i];
        i = kids.find((k) => d.onPath.has(k)) ?? kids[0] ?? i;
        break;
      }
      case 'ArrowUp': case 'ArrowDown': {
        const layer = d.layers[d.depth[i]];
        const r = d.rank[i] + (e.key === 'ArrowUp' ? -1 : 1);
        if (r >= 0 && r < layer.length) i = layer[r];
        break;
      }
      case 'Enter': e.preventDefault(); this.onOpen(d.ids[i]); return;
      case 'b': case 'B': i = this.bestIndex(); break;
      case 'e': case 'E': e.preventDefault(); this.expandSelected(); return;
      case '+': case '=': e.preventDefault(); this.zoom(1.5); return;
      case '-': e.preventDefault(); this.zoom(1 / 1.5); return;
      case '0': e.preventDefault(); this.view = null; this.userMoved = false; this.draw(); return;
      default: return;
    }
    e.preventDefault();
    this.select(i, true);
  }
}
