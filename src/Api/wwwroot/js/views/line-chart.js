// A small SVG chart: step lines and dots over numeric x (evaluations or time).
import { s, formatScore } from '../dom.js';

const W = 640;
const H = 260;
const M = { left: 64, right: 16, top: 12, bottom: 40 };

/**
 * series: [{ points: [[x, y]], kind: 'step' | 'dots', className }]
 * Returns an <svg> with a text summary for screen readers in `label`.
 */
export function lineChart({ series, xLabel, yLabel, label, xFormat = (x) => String(Math.round(x)) }) {
  const all = series.flatMap((d) => d.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label, preserveAspectRatio: 'xMidYMid meet' });
  if (!all.length) {
    svg.append(s('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'No data yet'));
    return svg;
  }

  let [x0, x1] = extent(all.map((p) => p[0]));
  let [y0, y1] = extent(all.map((p) => p[1]));
  if (x0 === x1) { x0 -= 1; x1 += 1; }
  if (y0 === y1) { const pad = Math.abs(y0) * 0.05 || 1; y0 -= pad; y1 += pad; }
  const yPad = (y1 - y0) * 0.05;
  y0 -= yPad; y1 += yPad;
  const sx = (x) => M.left + ((x - x0) / (x1 - x0)) * (W - M.left - M.right);
  const sy = (y) => H - M.bottom - ((y - y0) / (y1 - y0)) * (H - M.top - M.bottom);

  for (const t of ticks(y0, y1, 5)) {
    svg.append(s('line', { class: 'gridline', x1: M.left, x2: W - M.right, y1: sy(t), y2: sy(t) }));
    svg.append(s('text', { x: M.left - 6, y: sy(t) + 4, 'text-anchor': 'end' }, formatScore(t)));
  }
  for (const t of ticks(x0, x1, 6)) {
    svg.append(s('text', { x: sx(t), y: H - M.bottom + 16, 'text-anchor': 'middle' }, xFormat(t)));
  }
  svg.append(s('line', { class: 'axis', x1: M.left, x2: W - M.right, y1: H - M.bottom, y2: H - M.bottom }));
  svg.append(s('line', { class: 'axis', x1: M.left, x2: M.left, y1: M.top, y2: H - M.bottom }));
  svg.append(s('text', { x: (M.left + W - M.right) / 2, y: H - 6, 'text-anchor': 'middle' }, xLabel));
  svg.append(s('text', { x: 14, y: (M.top + H - M.bottom) / 2, 'text-anchor': 'middle', transform: `rotate(-90 14 ${(M.top + H - M.bottom) / 2})` }, yLabel));

  for (const d of series) {
    const points = d.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (!points.length) continue;
    if (d.kind === 'dots') {
      // Thousands of dots as one path keeps the DOM small.
      const path = points.map(([x, y]) => `M${sx(x).toFixed(1)} ${sy(y).toFixed(1)}m-2 0a2 2 0 1 0 4 0a2 2 0 1 0 -4 0`).join('');
      svg.append(s('path', { class: d.className, d: path }));
    } else {
      let path = `M${sx(points[0][0]).toFixed(1)} ${sy(points[0][1]).toFixed(1)}`;
      for (let i = 1; i < points.length; i++) {
        path += `H${sx(points[i][0]).toFixed(1)}V${sy(points[i][1]).toFixed(1)}`;
      }
      if (d.extendTo !== undefined && Number.isFinite(d.extendTo)) path += `H${sx(Math.min(d.extendTo, x1)).toFixed(1)}`;
      svg.append(s('path', { class: d.className, d: path }));
    }
  }
  return svg;
}

function extent(values) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
  return [lo, hi];
}

function ticks(lo, hi, count) {
  const step0 = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((v) => v >= step0) ?? step0;
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}
