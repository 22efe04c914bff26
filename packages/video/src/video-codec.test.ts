import { buildFromConfig, ConfigError } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { registerVideoCodec, VideoCodec } from './video-codec.js';

describe('VideoCodec', () => {
  it('encodes videos to frames of floats, decodes them, and is rebuilt by the registry', () => {
    const codec = new VideoCodec({ width: 2, height: 2, channels: 1 });
    const video = {
      width: 4,
      height: 4,
      channels: 3 as const,
      frames: [new Uint8Array(48).fill(255), new Uint8Array(48).fill(51)],
    };
    const frames = codec.encode(video);
    expect(codec.frameSize).toBe(4);
    expect(frames.map((f) => Array.from(f, (v) => Number(v.toFixed(6))))).toEqual([
      [1, 1, 1, 1],
      [0.2, 0.2, 0.2, 0.2],
    ]);
    expect(codec.decode(frames)).toEqual({
      width: 2,
      height: 2,
      channels: 1,
      frames: [new Uint8Array(4).fill(255), new Uint8Array(4).fill(51)],
    });
    registerVideoCodec();
    const json = codec.toJSON();
    expect(json).toEqual({ type: 'video', version: 1, width: 2, height: 2, channels: 1 });
    const rebuilt = buildFromConfig<VideoCodec>('codec', JSON.parse(JSON.stringify(json)));
    expect(rebuilt.toJSON()).toEqual(json);
    expect(() => VideoCodec.fromJSON({ ...json, version: 2 })).toThrow(ConfigError);
    expect(() => VideoCodec.fromJSON({ ...json, width: 0 })).toThrow(ConfigError);
  });
});
