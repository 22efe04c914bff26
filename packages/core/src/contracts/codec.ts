// The codec contracts need no tfjs: they live in `@seqgen/base`; core re-exports them.
export type { Codec, CodecJson, DiscreteCodec, FrameCodec, Tokenizer } from '@seqgen/base';
