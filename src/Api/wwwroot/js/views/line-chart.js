// A small SVG chart: step lines, lines and dots over numeric x (evaluations, time or money), with an optional
// band under the plot for points that have no y (incorrect programs). Points that name a program can be
// hovered (a tooltip), stepped through with the arrow keys, and opened with a click or Enter.
import { s, formatScore } from '../dom.js';

const W = 640;
const H = 260;
const BAND = 18;
const M = { left: 64, right: 16, top: 12, bottom: 40 };

/**
 * series: [{ points: [[x, y, {id, text}?]], kind: 'step' | 'dots' | 'circles' | 'line', className, extendTo? }]
 * band: { points: [[x, {id, text}?]], className, label } — drawn as ticks on a strip below the x axis.
 * Returns an <svg> with a text summary for screen readers in `label`.
 */
export function lineChart({ series, band, xLabel, yLabel, label, onOpen, xFormat = (x) => String(Math.round(x)), yFormat = formatScore }) {
  const all = series.flatMap((d) => d.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const bandPoints = (band?.points ?? []).filter(([x]) => Number.isFinite(x));
  const bottom = M.bottom + (band ? BAND : 0);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H + (band ? BAND : 0)}`, role: 'img', 'aria-label': label, preserveAspectRatio: 'xMidYMid meet' });
  const height = H + (band ? BAND : 0);
  if (!all.length && !bandPoints.length) {
    svg.append(s('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'No data yet'));
    return svg;
  }

  let [x0, x1] = extent([...all.map((p) => p[0]), ...bandPoints.map((p) => p[0])]);
  let [y0, y1] = all.length ? extent(all.map((p) => p[1])) : [0, 1];
  if (x0 === x1) { x0 -= 1; x1 += 1; }
  if (y0 === y1) { const pad = Math.abs(y0) * 0.05 || 1; y0 -= pad; y1 += pad; }
  const yPad = (y1 - y0) * 0.05;
  y0 -= yPad; y1 += yPad;
  const sx = (x) => M.left + ((x - x0) / (x1 - x0)) * (W - M.left - M.right);
  const sy = (y) => height - bottom - ((y - y0) / (y1 - y0)) * (height - M.top - bottom);
  const axisY = height - bottom;

  for (const t of ticks(y0, y1, 5)) {
    svg.append(s('line', { class: 'gridline', x1: M.left, x2: W - M.right, y1: sy(t), y2: sy(t) }));
    svg.append(s('text', { x: M.left - 6, y: sy(t) + 4, 'text-anchor': 'end' }, yFormat(t)));
  }
  const labelY = axisY + (band ? BAND : 0) + 16;
  for (const t of ticks(x0, x1, 6)) {
    svg.append(s('text', { x: sx(t), y: labelY, 'text-anchor': 'middle' }, xFormat(t)));
  }
  svg.append(s('line', { class: 'axis', x1: M.left, x2: W - M.right, y1: axisY, y2: axisY }));
  svg.append(s('line', { class: 'axis', x1: M.left, x2: M.left, y1: M.top, y2: axisY }));
  svg.append(s('text', { x: (M.left + W - M.right) / 2, y: height - 6, 'text-anchor': 'middle' }, xLabel));
  svg.append(s('text', { x: 14, y: (M.top + axisY) / 2, 'text-anchor': 'middle', transform: `rotate(-90 14 ${(M.top + axisY) / 2})` }, yLabel));

  // Every point that names a program, in screen coordinates, for hover, keys and clicks.
  const targets = [];
  if (band) {
    const top = axisY + 4;
    svg.append(s('rect', { class: 'band', x: M.left, y: top, width: W - M.left - M.right, height: BAND - 6 }));
    svg.append(s('text', { class: 'band-label', x: M.left - 6, y: top + BAND / 2, 'text-anchor': 'end' }, band.label));
    if (bandPoints.length) {
      svg.append(s('path', { class: band.className, d: bandPoints.map(([x]) => `M${sx(x).toFixed(1)} ${top + 1}v${BAND - 8}`).join('') }));
    }
    for (const [x, meta] of bandPoints) if (meta?.id) targets.push({ px: sx(x), py: top + (BAND - 6) / 2, ...meta });
  }

  for (const d of series) {
    const points = d.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (!points.length) continue;
    if (d.kind === 'circles') {
      // Few points that matter one by one (a Pareto front): a circle each, with the program it names.
      for (const [x, y, meta] of points) svg.append(s('circle', { class: d.className, cx: sx(x).toFixed(1), cy: sy(y).toFixed(1), r: 4, 'data-id': meta?.id }));
    } else if (d.kind === 'dots') {
      // Thousands of dots as one path keeps the DOM small.
      const path = points.map(([x, y]) => `M${sx(x).toFixed(1)} ${sy(y).toFixed(1)}m-2 0a2 2 0 1 0 4 0a2 2 0 1 0 -4 0`).join('');
      svg.append(s('path', { class: d.className, d: path }));
    } else {
      let path = `M${sx(points[0][0]).toFixed(1)} ${sy(points[0][1]).toFixed(1)}`;
      for (let i = 1; i < points.length; i++) {
        path += d.kind === 'line'
          ? `L${sx(points[i][0]).toFixed(1)} ${sy(points[i][1]).toFixed(1)}`
          : `H${sx(points[i][0]).toFixed(1)}V${sy(points[i][1]).toFixed(1)}`;
      }
      if (d.extendTo !== undefined && Number.isFinite(d.extendTo)) path += `H${sx(Math.min(d.extendTo, x1)).toFixed(1)}`;
      svg.append(s('path', { class: d.className, d: path }));
    }
    for (const [x, y, meta] of points) if (meta?.id) targets.push({ px: sx(x), py: sy(y), ...meta });
  }

  if (targets.length && onOpen) interactive(svg, targets, onOpen);
  return svg;
}

/** Hover shows the nearest point's text; arrow keys, Home and End step through the points; a click or Enter opens its program. */
function interactive(svg, targets, onOpen) {
  targets.sort((a, b) => a.px - b.px);
  const marker = s('circle', { class: 'chart-marker', r: 5, cx: -10, cy: -10 });
  const tip = s('text', { class: 'chart-tip', x: -100, y: -100 });
  svg.append(marker, tip);
  svg.setAttribute('tabindex', '0');
  svg.classList.add('clickable');
  let current = null;
  const show = (t) => {
    current = t;
    marker.setAttribute('cx', t.px);
    marker.setAttribute('cy', t.py);
    tip.textContent = t.text;
    const right = t.px > W * 0.6;
    tip.setAttribute('x', right ? t.px - 8 : t.px + 8);
    tip.setAttribute('text-anchor', right ? 'end' : 'start');
    tip.setAttribute('y', Math.max(M.top + 10, t.py - 8));
    svg.dataset.hover = t.id;
  };
  const toSvg = (e) => {
    const box = svg.getBoundingClientRect();
    const view = svg.viewBox.baseVal;
    return [((e.clientX - box.left) / box.width) * view.width, ((e.clientY - box.top) / box.height) * view.height];
  };
  const nearest = ([x, y]) => {
    let best = null;
    let distance = Infinity;
    for (const t of targets) {
      const d = (t.px - x) ** 2 + (t.py - y) ** 2;
      if (d < distance) { distance = d; best = t; }
    }
    return distance < 40 * 40 ? best : null;
  };
  svg.addEventListener('mousemove', (e) => { const t = nearest(toSvg(e)); if (t) show(t); });
  svg.addEventListener('click', (e) => { const t = nearest(toSvg(e)); if (t) onOpen(t.id); });
  svg.addEventListener('keydown', (e) => {
    const i = current ? targets.indexOf(current) : -1;
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      show(targets[Math.min(targets.length - 1, Math.max(0, i + (e.key === 'ArrowRight' ? 1 : -1)))] ?? targets[0]);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      show(targets[e.key === 'Home' ? 0 : targets.length - 1]);
    } else if (e.key === 'Enter' && current) {
      onOpen(current.id);
    }
  });
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
