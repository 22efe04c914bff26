/** What {@link attentionSvg} draws: one row per output token, one column per source token. */
export interface AttentionPicture {
  sourceTokens: readonly string[];
  targetTokens: readonly string[];
  /** `weights[t][s]`: how much output token t attended to source token s (rows sum to 1). */
  weights: readonly ArrayLike<number>[];
  title?: string;
}

const CELL = 26;
const CHAR = 7.2; // width of one character of the 12 px monospace labels

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A token as a label: spaces made visible, control characters escaped. */
export function tokenLabel(token: string): string {
  const visible = token
    .replace(/ /g, '·')
    .replace(/\p{Cc}/gu, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return visible === '' ? '∅' : visible;
}

/**
 * An attention-alignment heat map as a standalone SVG: darker is more
 * attention, source tokens label the columns (written upwards), output
 * tokens the rows, and each cell's weight is in its tooltip.
 */
export function attentionSvg(picture: AttentionPicture): string {
  const src = picture.sourceTokens.map(tokenLabel);
  const tgt = picture.targetTokens.map(tokenLabel);
  const left = 12 + CHAR * Math.max(4, ...tgt.map((t) => [...t].length));
  const top = 30 + CHAR * Math.max(4, ...src.map((t) => [...t].length));
  const width = Math.ceil(left + CELL * src.length + 20);
  const height = Math.ceil(top + CELL * tgt.length + 20);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
  ];
  if (picture.title) parts.push(`<text x="6" y="16" font-size="13">${escapeXml(picture.title)}</text>`);
  src.forEach((label, s) => {
    const x = left + CELL * s + CELL / 2 + 4;
    parts.push(`<text transform="translate(${x} ${top - 6}) rotate(-90)">${escapeXml(label)}</text>`);
  });
  tgt.forEach((label, t) => {
    const y = top + CELL * t + CELL / 2 + 4;
    parts.push(`<text x="${left - 6}" y="${y}" text-anchor="end">${escapeXml(label)}</text>`);
    const row = picture.weights[t] ?? [];
    for (let s = 0; s < src.length; s++) {
      const w = Math.min(1, Math.max(0, Number(row[s] ?? 0)));
      const shade = Math.round(255 * (1 - w));
      parts.push(
        `<rect x="${left + CELL * s}" y="${top + CELL * t}" width="${CELL}" height="${CELL}" fill="rgb(${shade},${shade},255)" stroke="#ddd"><title>${escapeXml(`${tgt[t]} ← ${src[s]}: ${w.toFixed(3)}`)}</title></rect>`,
      );
    }
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
