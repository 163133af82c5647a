import { createHash } from 'node:crypto';
import type { Module } from 'rmsprop/nn';

/**
 * A SHA-256 of the model's parameters and buffers, by name in sorted order, bit for bit: two runs end
 * with the same weights exactly when their digests agree (how a resumed run is checked against an
 * uninterrupted one).
 */
export function parameterDigest(model: Module): string {
  const hash = createHash('sha256');
  const state = model.stateDict();
  for (const name of Object.keys(state).sort()) {
    const a = state[name]!;
    hash
      .update(name)
      .update('\0')
      .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  return `sha256:${hash.digest('hex')}`;
}
