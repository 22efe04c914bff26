/** One curve of a loss plot: a label, its points and a colour. */
export interface LossSeries {
  /** Name shown in the legend (e.g. `train`, `validation`). */
  label: string;
  /** `[step, loss]` points. */
  points: ReadonlyArray<readonly [number, number]>;
  /** SVG stroke colour of the curve (any CSS colour). */
  color: string;
}

const WIDTH = 640;
const HEIGHT = 360;
const PAD = { left: 56, right: 16, top: 28, bottom: 40 };

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(3);
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string);
}

/**
 * Renders loss curves as a standalone SVG (no dependency: a polyline per
 * series, axes with min/max ticks and a legend), readable in any browser.
 * Non-finite points are left out.
 */
export function renderLossSvg(series: readonly LossSeries[], title = 'loss'): string {
  const finite = series.map((s) => ({
    ...s,
    points: s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)),
  }));
  const all = finite.flatMap((s) => s.points);
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  const x0 = xs.length ? Math.min(...xs) : 0;
  const x1 = xs.length ? Math.max(...xs) : 1;
  const y0 = ys.length ? Math.min(...ys) : 0;
  const y1 = ys.length ? Math.max(...ys) : 1;
  const w = WIDTH - PAD.left - PAD.right;
  const h = HEIGHT - PAD.top - PAD.bottom;
  const sx = (x: number) => PAD.left + (x1 === x0 ? w / 2 : ((x - x0) / (x1 - x0)) * w);
  const sy = (y: number) => PAD.top + (y1 === y0 ? h / 2 : (1 - (y - y0) / (y1 - y0)) * h);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11" role="img">`,
    // An accessible name: screen readers announce it, and SVG linters require it.
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(title)}</text>`,
    `<line x1="${PAD.left}" y1="${PAD.top + h}" x2="${PAD.left + w}" y2="${PAD.top + h}" stroke="black"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + h}" stroke="black"/>`,
    `<text x="${PAD.left}" y="${HEIGHT - 22}" text-anchor="start">${fmt(x0)}</text>`,
    `<text x="${PAD.left + w}" y="${HEIGHT - 22}" text-anchor="end">${fmt(x1)}</text>`,
    `<text x="${PAD.left + w / 2}" y="${HEIGHT - 6}" text-anchor="middle">step</text>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end">${fmt(y1)}</text>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + h}" text-anchor="end">${fmt(y0)}</text>`,
  ];
  finite.forEach((s, i) => {
    if (s.points.length > 0) {
      const pts = s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
      parts.push(
        `<polyline data-series="${escapeXml(s.label)}" fill="none" stroke="${s.color}" stroke-width="1.5" points="${pts}"/>`,
      );
    }
    const ly = PAD.top + 12 + i * 14;
    parts.push(
      `<line x1="${PAD.left + w - 90}" y1="${ly - 4}" x2="${PAD.left + w - 72}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"/>`,
    );
    parts.push(`<text x="${PAD.left + w - 68}" y="${ly}">${escapeXml(s.label)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
