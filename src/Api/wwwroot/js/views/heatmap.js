// The MAP-Elites archive of one island as a heatmap of focusable cells; a cell opens its elite.
import { h, rampColor, formatScore } from '../dom.js';

/**
 * archive: { dimensions: [{name, min, max, bins, scale}], islands: [{island, cells: [{key, bins, eliteId, score}]}] }
 * Returns one section per island. Cells beyond two dimensions are projected onto the first two, keeping the best.
 */
export function heatmaps(archive, bestProgramId) {
  const dims = archive?.dimensions ?? [];
  const islands = archive?.islands ?? [];
  const scores = islands.flatMap((i) => i.cells.map((c) => c.score)).filter(Number.isFinite);
  const lo = Math.min(...scores);
  const hi = Math.max(...scores);
  const norm = (v) => (Number.isFinite(v) ? (hi > lo ? (v - lo) / (hi - lo) : 1) : 0);
  const cols = Math.max(1, dims[0]?.bins ?? 1);
  const rows = Math.max(1, dims[1]?.bins ?? 1);

  return islands.map((island) => {
    const grid = new Map();
    for (const cell of island.cells) {
      const x = cell.bins?.[0] ?? 0;
      const y = cell.bins?.[1] ?? 0;
      const at = `${x},${y}`;
      const held = grid.get(at);
      if (!held || (cell.score ?? -Infinity) > (held.score ?? -Infinity)) grid.set(at, cell);
    }

    const cells = [];
    // Row 0 at the bottom, as on a plot: the second feature grows upwards.
    for (let y = rows - 1; y >= 0; y--) {
      for (let x = 0; x < cols; x++) {
        const cell = grid.get(`${x},${y}`);
        const where = `${dims[0]?.name ?? 'feature 1'} bin ${x + 1}` + (dims[1] ? `, ${dims[1].name} bin ${y + 1}` : '');
        if (cell) {
          const t = norm(cell.score);
          const isBest = cell.eliteId === bestProgramId;
          cells.push(h('a', {
            class: `cell filled${isBest ? ' best' : ''}`,
            href: `#/programs/${cell.eliteId}`,
            role: 'gridcell',
            tabindex: '-1',
            style: `background:${rampColor(t)}`,
            title: `Score ${formatScore(cell.score)} (${where})`,
            'aria-label': `Island ${island.island}, ${where}: elite with score ${formatScore(cell.score)}${isBest ? ', best of the run' : ''}`,
            dataset: { x, y, eliteId: cell.eliteId },
          }));
        } else {
          cells.push(h('span', {
            class: 'cell empty', role: 'gridcell', tabindex: '-1', 'aria-label': `Island ${island.island}, ${where}: empty`, dataset: { x, y },
          }));
        }
      }
    }
    const grid2 = h('div', {
      class: 'heatmap',
      role: 'grid',
      'aria-label': `Island ${island.island} archive, ${island.cells.length} filled cells. Arrow keys move between cells; Enter opens an elite.`,
      style: `grid-template-columns: repeat(${cols}, minmax(14px, 1fr)); width: min(100%, ${Math.max(160, cols * 26)}px)`,
    }, cells);
    rovingFocus(grid2, cols);

    return h('section', { class: 'island', 'aria-label': `Island ${island.island}`, dataset: { island: island.island } },
      h('h3', {}, `Island ${island.island}`, h('span', { class: 'muted' }, ` · ${island.cells.length} ${island.cells.length === 1 ? 'elite' : 'elites'}`)),
      grid2,
      h('div', { class: 'axis-label' }, `→ ${dims[0]?.name ?? ''}${dims[1] ? ` · ↑ ${dims[1].name}` : ''}`));
  });
}

/** One tab stop per grid; arrow keys move within it (the ARIA grid pattern). */
function rovingFocus(grid, cols) {
  const cells = [...grid.children];
  if (!cells.length) return;
  const first = cells.find((c) => c.classList.contains('filled')) ?? cells[0];
  first.tabIndex = 0;
  grid.addEventListener('keydown', (e) => {
    const i = cells.indexOf(document.activeElement);
    if (i < 0) return;
    const moves = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: cols, ArrowUp: -cols, Home: -(i % cols), End: cols - 1 - (i % cols) };
    if (!(e.key in moves)) return;
    const j = i + moves[e.key];
    if (j < 0 || j >= cells.length) return;
    e.preventDefault();
    cells[i].tabIndex = -1;
    cells[j].tabIndex = 0;
    cells[j].focus();
  });
}
