import { ConfigError } from '@seqgen/base';
import type { Conversation } from './conversation.js';

/** Options of {@link splitConversations}. */
export interface ConversationSplitOptions {
  /** Test size in conversations: a fraction in (0, 1), or a whole number. */
  test: number;
  /** Validation size, likewise. Default 0. */
  valid?: number;
  /** Seed of the shuffle. Default 0. */
  seed?: number;
}

/** The three parts of a conversation split. */
export interface ConversationSplit {
  /** Training conversations. */
  train: Conversation[];
  /** Validation conversations. */
  valid: Conversation[];
  /** Test conversations. */
  test: Conversation[];
}

/**
 * Held-out split by conversation: a seeded shuffle of conversation groups
 * (`group ?? id`), so no turn of a test conversation — nor of another scene
 * or branch of it — is seen in training. Groups fill test first, then valid,
 * until each holds at least its size.
 */
export function splitConversations(
  conversations: readonly Conversation[],
  options: ConversationSplitOptions,
): ConversationSplit {
  const total = conversations.length;
  const testSize = sizeOf('test', options.test, total);
  const validSize = sizeOf('valid', options.valid ?? 0, total);
  if (testSize + validSize >= total && total > 0) {
    throw new ConfigError(
      'test + valid',
      `ask for ${testSize + validSize} conversations, leaving none of ${total} to train on`,
    );
  }
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new ConfigError('seed', `must be an integer, got ${seed}`);
  const groups = new Map<string, Conversation[]>();
  for (const c of conversations) {
    const key = c.group ?? c.id;
    const group = groups.get(key);
    if (group) group.push(c);
    else groups.set(key, [c]);
  }
  const order = [...groups.values()];
  let state = seed >>> 0;
  const random = () => {
    // splitmix32: seedable and identical on every platform.
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  };
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as Conversation[], order[i] as Conversation[]];
  }
  const split: ConversationSplit = { train: [], valid: [], test: [] };
  for (const group of order) {
    const part = split.test.length < testSize ? split.test : split.valid.length < validSize ? split.valid : split.train;
    part.push(...group);
  }
  return split;
}

function sizeOf(field: string, size: number, total: number): number {
  if (!Number.isFinite(size) || size < 0)
    throw new ConfigError(field, `must be a fraction in [0, 1) or a count ≥ 1, got ${size}`);
  if (size < 1) return Math.round(size * total);
  if (!Number.isInteger(size)) throw new ConfigError(field, `a count must be a whole number, got ${size}`);
  return size;
}
