import { ConfigError } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { platform, tokenFiles } from './browser.js';

// The module the browser build swaps in for ./node.ts, run here directly.
describe('trainer browser platform', () => {
  it('joins IndexedDB locations with "/" and has no files or terminal', () => {
    expect(platform.joinPath('indexeddb://run/', 'last')).toBe('indexeddb://run/last');
    expect(platform.files).toBe(false);
    expect(platform.stderrIsTerminal()).toBe(false);
    expect(platform.exists('train-log.jsonl')).toBe(false);
  });

  it('asking for a progress bar or a log file is a ConfigError naming it', () => {
    expect(() => platform.createTerminalBar('', undefined, false)).toThrow(ConfigError);
    expect(() => platform.createTerminalBar('', undefined, false)).toThrow(/^progressBar: needs Node\.js/);
    expect(() => platform.appendText('log.jsonl', '{}')).toThrow(/^log: needs Node\.js \(files and terminals\)/);
  });

  it('token shard files are a ConfigError saying they need Node.js', () => {
    expect(tokenFiles.available).toBe(false);
    expect(() => tokenFiles.openRead('train-00000.bin')).toThrow(ConfigError);
    expect(() => tokenFiles.stat('shards')).toThrow(/^token shards: needs Node\.js/);
  });
});
