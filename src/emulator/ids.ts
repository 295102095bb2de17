import { createHash, randomBytes } from 'node:crypto';

/**
 * Returns a generator of MiniMax-style ids: 32 lowercase hex chars starting with `0` (captured request ids
 * and message ids all start with `06…`). With a seed the sequence is reproducible, which keeps snapshot-style
 * tests stable; state lives in the closure so emulators never share a counter.
 */
export function createIdGenerator(seed?: string): () => string {
  let counter = 0;
  return () => {
    const hex =
      seed === undefined ? randomBytes(16).toString('hex') : createHash('sha256').update(`${seed}:${counter++}`).digest('hex').slice(0, 32);
    return `06${hex.slice(2)}`;
  };
}

/** 64-hex thinking signature; derived from the thinking text so identical replies carry identical signatures. */
export function thinkingSignature(thinking: string): string {
  return createHash('sha256').update(`minimax-emulator-signature:${thinking}`).digest('hex');
}
