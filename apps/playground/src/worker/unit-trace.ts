import { divergingColour, explorerUnitsFromTrace, traceLanguageModel } from '@seqgen/interpret';
import type { UnitValues } from '../protocol.js';
import { languageModelAt } from './language-models.js';

/** The most characters traced at once: the explorer is for reading, and a trace is copied whole. */
export const MAX_TRACE_CHARACTERS = 2000;

/**
 * Runs the text model over `text` with tracing on and returns every cell-state and hidden unit's
 * activation per character and its colour (the @seqgen/interpret explorer's units and scale).
 */
export async function traceUnits(url: string, text: string): Promise<{ tokens: string[]; units: UnitValues[] }> {
  if (text.length > MAX_TRACE_CHARACTERS) {
    throw new Error(`the explorer text has ${text.length} characters; at most ${MAX_TRACE_CHARACTERS} are traced`);
  }
  const { model, tokenizer } = await languageModelAt(url);
  const ids = tokenizer.encode(text);
  if (ids.length === 0) throw new Error('the explorer text must hold at least one character the model knows');
  const trace = traceLanguageModel(model, ids);
  // A character tokenizer gives one id per character: show the characters as typed (one the
  // model does not know is read as <unk>, but still shown as itself).
  const characters = [...text];
  const tokens = characters.length === ids.length ? characters : ids.map((id) => tokenizer.decode([id]));
  // Coloured here, so that the page needs no tfjs: blue −1 … white 0 … red +1, as the HTML explorer.
  const units = explorerUnitsFromTrace(trace).map((unit) => {
    const values = Float32Array.from(unit.values);
    const colours = new Uint8Array(values.length * 3);
    values.forEach((value, i) => {
      colours.set(divergingColour(value, -1, 1), i * 3);
    });
    return { name: unit.name, values, colours };
  });
  return { tokens, units };
}
