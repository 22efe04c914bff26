import { ConfigError } from '@seqgen/base';
import { byId } from './dom.js';

/** Bounds a control's value must lie within, and whether it must be an integer. */
export type ControlBounds = { min: number; max: number; integer?: boolean };

/** The label text of a control, for error messages that name what the user sees. */
function labelOf(input: HTMLInputElement): string {
  const label = input.closest('label');
  return (label?.firstChild?.textContent ?? input.id).trim();
}

/**
 * The number in input `#id`, checked against `bounds`; anything else is a {@link ConfigError}
 * naming the control by its label, which the page shows in its error panel.
 */
export function numberControl(id: string, bounds: ControlBounds): number {
  const input = byId(id, HTMLInputElement);
  const name = labelOf(input);
  const raw = input.value.trim();
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value)) throw new ConfigError(name, `must be a number, got "${input.value}"`);
  if (bounds.integer && !Number.isInteger(value)) throw new ConfigError(name, `must be a whole number, got ${raw}`);
  if (value < bounds.min || value > bounds.max) {
    throw new ConfigError(name, `must be between ${bounds.min} and ${bounds.max}, got ${raw}`);
  }
  return value;
}
