/** Pixels per attention cell, and the margins that hold the token labels. */
const CELL = 22;
const LEFT = 90;
const TOP = 80;

/** A label short enough for its margin (tokens of a byte-level BPE carry their leading space: shown as ·). */
function label(token: string): string {
  const shown = token.replace(/ /g, '·').replace(/\n/g, '⏎');
  return shown.length > 12 ? `${shown.slice(0, 11)}…` : shown;
}

/**
 * Draws attention weights as a heat map: one row per target token, one column per source token,
 * white for 0 and dark blue for 1, with the tokens as row and column labels. The canvas records
 * its size in `data-rows` / `data-columns` (for tests and for anyone styling it).
 */
export function drawAttentionMap(
  canvas: HTMLCanvasElement,
  sourceTokens: readonly string[],
  targetTokens: readonly string[],
  weights: readonly Float32Array[],
): void {
  const rows = Math.min(targetTokens.length, weights.length);
  const columns = sourceTokens.length;
  canvas.width = LEFT + columns * CELL + 8;
  canvas.height = TOP + rows * CELL + 8;
  canvas.dataset.rows = String(rows);
  canvas.dataset.columns = String(columns);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser gives no 2D canvas context for the attention map');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  for (let r = 0; r < rows; r++) {
    const row = weights[r] as Float32Array;
    for (let c = 0; c < columns; c++) {
      const w = Math.min(1, Math.max(0, row[c] ?? 0));
      // White (255, 255, 255) at 0 to dark blue (20, 60, 160) at 1.
      context.fillStyle = `rgb(${Math.round(255 - 235 * w)}, ${Math.round(255 - 195 * w)}, ${Math.round(255 - 95 * w)})`;
      context.fillRect(LEFT + c * CELL, TOP + r * CELL, CELL - 1, CELL - 1);
    }
  }
  context.fillStyle = '#1d2330';
  context.font = '12px ui-monospace, monospace';
  context.textBaseline = 'middle';
  context.textAlign = 'right';
  targetTokens.slice(0, rows).forEach((token, r) => {
    context.fillText(label(token), LEFT - 6, TOP + r * CELL + CELL / 2);
  });
  context.textAlign = 'left';
  sourceTokens.forEach((token, c) => {
    context.save();
    context.translate(LEFT + c * CELL + CELL / 2, TOP - 6);
    context.rotate(-Math.PI / 3);
    context.fillText(label(token), 0, 0);
    context.restore();
  });
}
