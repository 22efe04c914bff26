import { initBackend, Rng } from '@seqgen/core';
import { ByteBpeTokenizer } from '@seqgen/tokenizers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stream } from './stream.js';
import { HistoryModel } from './test-fixtures/history-model.js';

/** Emoji with ZWJ and a flag (4-byte characters, several per cluster), CJK (3 bytes), e + U+0301 (combining). */
const TEXT = 'Café 👩‍🚀 im All 🇩🇪! 東京で e\u0301te\u0301 と 👩‍🚀🇩🇪 — 日本語 e\u0301.';
const CORPUS = Array.from({ length: 6 }, () => TEXT).join('\n');

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Offsets in `text` where a grapheme cluster starts, and its end. */
function clusterBoundaries(text: string): Set<number> {
  return new Set([...[...graphemes.segment(text)].map((s) => s.index), text.length]);
}

describe('stream with byte-level BPE', () => {
  let tokenizer: ByteBpeTokenizer;
  let model: HistoryModel;
  beforeAll(async () => {
    await initBackend();
    tokenizer = ByteBpeTokenizer.train(CORPUS, { vocabSize: 300 });
    model = new HistoryModel(new Rng(3), tokenizer.vocabSize);
  });
  afterAll(() => model.dispose());

  /** Streams exactly `ids` (each step allows only the next one) and returns the text deltas. */
  async function streamDeltas(ids: readonly number[]): Promise<string[]> {
    const deltas: string[] = [];
    const config = { temperature: 0, maxNewTokens: ids.length, allowedTokens: (step: number) => [ids[step]!] };
    const decode = (tokens: readonly number[]) => tokenizer.decode(tokens);
    for await (const item of stream(model, [0], config, { decode })) deltas.push(item.text!);
    return deltas;
  }

  /** No U+FFFD, the deltas add up to the text, and every delta ends on a grapheme-cluster boundary of it. */
  function expectWholeCharacters(deltas: readonly string[], text: string): void {
    expect(deltas.join('')).toBe(text);
    const boundaries = clusterBoundaries(text);
    let shown = 0;
    for (const delta of deltas) {
      expect(delta).not.toContain('\uFFFD');
      shown += delta.length;
      expect(boundaries.has(shown), `a delta ends inside a character at offset ${shown}`).toBe(true);
    }
  }

  it('holds back characters whose bytes are split across tokens: one byte per token', async () => {
    const specials = tokenizer.specialTokens.length;
    const byteIds = [...new TextEncoder().encode(TEXT)].map((b) => specials + b);
    expect(tokenizer.decode(byteIds.slice(0, TEXT.indexOf('👩') + 2))).toMatch(/\uFFFD$/);
    const deltas = await streamDeltas(byteIds);
    expectWholeCharacters(deltas, TEXT);
    // The accent arrives in its own tokens after the `e`, yet `e` never shows without it.
    expect(deltas.filter((d) => d.length > 0)).toContain('e\u0301');
    expect(deltas).toContain('👩‍🚀');
    expect(deltas).toContain('🇩🇪');
  });

  it('with the trained merges (tokens that end mid-character) and with a mixed split', async () => {
    const ids = tokenizer.encode(TEXT);
    const splitsACharacter = ids.some((_, i) => tokenizer.decode(ids.slice(0, i + 1)).endsWith('\uFFFD'));
    expect(splitsACharacter).toBe(true);
    expectWholeCharacters(await streamDeltas(ids), TEXT);
    // Bytes one by one up to the middle of the text, then the merges: the tokens meet inside no character.
    const bytes = new TextEncoder().encode(TEXT);
    const specials = tokenizer.specialTokens.length;
    const cut = TEXT.indexOf(' im');
    const head = [...bytes.subarray(0, new TextEncoder().encode(TEXT.slice(0, cut)).length)].map((b) => specials + b);
    expectWholeCharacters(await streamDeltas([...head, ...tokenizer.encode(TEXT.slice(cut))]), TEXT);
  });

  it('a U+FFFD that stays (bytes never completed) is shown once its bytes are known to be invalid', async () => {
    const specials = tokenizer.specialTokens.length;
    // "Café " and three of the four bytes of 👩, then the rest of the text: the final text has one U+FFFD.
    const broken = [...new TextEncoder().encode(TEXT).subarray(0, 9)].map((b) => specials + b);
    broken.push(...tokenizer.encode(TEXT.slice(TEXT.indexOf(' im'))));
    const text = tokenizer.decode(broken);
    expect(text).toBe(`Café \uFFFD${TEXT.slice(TEXT.indexOf(' im'))}`);
    const deltas = await streamDeltas(broken);
    expect(deltas.join('')).toBe(text);
    const boundaries = clusterBoundaries(text);
    let shown = 0;
    for (const delta of deltas) {
      shown += delta.length;
      expect(boundaries.has(shown)).toBe(true);
    }
    expect(deltas.filter((d) => d.includes('\uFFFD'))).toHaveLength(1);
  });
});
