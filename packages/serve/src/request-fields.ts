import { ApiError, badField } from './api-error.js';
import type { ChatMessage } from './chat-template.js';

/** A completions or chat-completions request, checked and with its defaults filled in. */
export interface ParsedRequest {
  kind: 'completion' | 'chat';
  model: string;
  /** `/v1/completions`: the text to continue. */
  prompt?: string;
  /** `/v1/chat/completions`: the conversation. */
  messages?: ChatMessage[];
  maxTokens: number;
  temperature: number;
  topP: number;
  n: number;
  stream: boolean;
  /** Strings that end a choice; not part of its text. */
  stop: string[];
  seed: number | null;
  /** `stream_options.include_usage`: a last chunk with the token counts. */
  includeUsage: boolean;
}

/** The server's bounds on request fields. */
export interface RequestLimits {
  /** Largest `max_tokens` accepted. */
  maxTokens: number;
  /** Largest `n` accepted. */
  maxN: number;
}

const COMMON = ['model', 'max_tokens', 'temperature', 'top_p', 'n', 'stream', 'stop', 'seed', 'user', 'stream_options'];
const COMPLETION_FIELDS = new Set([...COMMON, 'prompt']);
const CHAT_FIELDS = new Set([...COMMON, 'messages', 'max_completion_tokens']);
const ROLES = new Set(['system', 'user', 'assistant']);
/** OpenAI's own defaults: 16 new tokens for completions; chat replies run longer. */
const DEFAULT_MAX_TOKENS = { completion: 16, chat: 256 };

/**
 * Checks a parsed JSON body field by field, in OpenAI's terms: an unknown
 * field, a wrong type or a value out of range is a 400 naming the field.
 */
export function parseRequest(body: unknown, kind: 'completion' | 'chat', limits: RequestLimits): ParsedRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'the request body must be a JSON object', { code: 'invalid_body' });
  }
  const fields = body as Record<string, unknown>;
  const known = kind === 'chat' ? CHAT_FIELDS : COMPLETION_FIELDS;
  for (const key of Object.keys(fields)) {
    if (!known.has(key)) {
      throw new ApiError(400, `Unrecognized request argument supplied: ${key}`, {
        param: key,
        code: 'unknown_parameter',
      });
    }
  }
  const model = fields.model;
  if (typeof model !== 'string' || model === '')
    throw badField('model', 'a model id (string) is required', 'missing_required_parameter');

  const maxTokensField =
    kind === 'chat' && fields.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens';
  const maxTokens =
    optionalInteger(fields, maxTokensField, 1, limits.maxTokens) ??
    Math.min(DEFAULT_MAX_TOKENS[kind], limits.maxTokens);
  const temperature = optionalNumber(fields, 'temperature', 0, 2) ?? 1;
  const topP = optionalNumber(fields, 'top_p', 0, 1) ?? 1;
  const n = optionalInteger(fields, 'n', 1, limits.maxN) ?? 1;
  const seed = optionalInteger(fields, 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) ?? null;
  const stream = optionalBoolean(fields, 'stream') ?? false;
  const stop = parseStop(fields.stop);
  if (fields.user !== undefined && typeof fields.user !== 'string')
    throw badField('user', 'must be a string', 'invalid_type');
  const includeUsage = parseStreamOptions(fields.stream_options, stream);

  const parsed: ParsedRequest = { kind, model, maxTokens, temperature, topP, n, stream, stop, seed, includeUsage };
  if (kind === 'completion') parsed.prompt = parsePrompt(fields.prompt);
  else parsed.messages = parseMessages(fields.messages);
  return parsed;
}

function optionalNumber(fields: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw badField(name, `must be a number, got ${describe(value)}`, 'invalid_type');
  if (value < min || value > max) throw badField(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function optionalInteger(fields: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const value = optionalNumber(fields, name, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  if (value === undefined) return undefined;
  if (!Number.isInteger(value)) throw badField(name, `must be an integer, got ${value}`, 'invalid_type');
  if (value < min || value > max) throw badField(name, `must be an integer from ${min} to ${max}, got ${value}`);
  return value;
}

function optionalBoolean(fields: Record<string, unknown>, name: string): boolean | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badField(name, `must be true or false, got ${describe(value)}`, 'invalid_type');
  return value;
}

function parseStop(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((s) => typeof s !== 'string' || s === '')) {
    throw badField('stop', 'must be a non-empty string or an array of them', 'invalid_type');
  }
  if (list.length > 4) throw badField('stop', `at most 4 stop sequences, got ${list.length}`);
  return list as string[];
}

function parseStreamOptions(value: unknown, stream: boolean): boolean {
  if (value === undefined || value === null) return false;
  if (!stream) throw badField('stream_options', 'only allowed with stream: true');
  if (typeof value !== 'object' || Array.isArray(value))
    throw badField('stream_options', 'must be an object', 'invalid_type');
  const options = value as Record<string, unknown>;
  for (const key of Object.keys(options)) {
    if (key !== 'include_usage') throw badField(`stream_options.${key}`, 'unknown option', 'unknown_parameter');
  }
  return optionalBoolean(options, 'include_usage') ?? false;
}

function parsePrompt(value: unknown): string {
  // A one-element array is how some clients send a single prompt.
  const prompt = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (typeof prompt !== 'string') {
    throw badField('prompt', 'must be a string (batched prompts: send one request each)', 'invalid_type');
  }
  if (prompt === '') throw badField('prompt', 'must not be empty');
  return prompt;
}

function parseMessages(value: unknown): ChatMessage[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw badField('messages', 'must be a non-empty array of { role, content }', 'invalid_type');
  }
  return value.map((m, i) => {
    const at = `messages[${i}]`;
    if (typeof m !== 'object' || m === null || Array.isArray(m))
      throw badField(at, 'must be an object', 'invalid_type');
    const { role, content, name, ...rest } = m as Record<string, unknown>;
    const extra = Object.keys(rest)[0];
    if (extra !== undefined) throw badField(`${at}.${extra}`, 'unknown message field', 'unknown_parameter');
    if (typeof role !== 'string' || !ROLES.has(role)) {
      throw badField(`${at}.role`, `must be "system", "user" or "assistant", got ${describe(role)}`);
    }
    if (name !== undefined && typeof name !== 'string')
      throw badField(`${at}.name`, 'must be a string', 'invalid_type');
    return { role: role as ChatMessage['role'], content: messageText(content, `${at}.content`) };
  });
}

/** A message's text: a string, or an array of `{ type: 'text', text }` parts joined. */
function messageText(content: unknown, at: string): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part, i) => {
        const p = part as Record<string, unknown> | null;
        if (p === null || typeof p !== 'object' || p.type !== 'text' || typeof p.text !== 'string') {
          throw badField(`${at}[${i}]`, 'only text parts ({ type: "text", text }) are supported', 'invalid_type');
        }
        return p.text;
      })
      .join('');
  }
  throw badField(at, 'must be a string or an array of text parts', 'invalid_type');
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}
