/**
 * What the emulator's media routes share: stand-in files (a JPEG and an MP4 in
 * outline: the right magic bytes, then deterministic filler of the asked size),
 * numeric task and file ids like MiniMax's, and the checks of inputs the API
 * takes as links or data URIs.
 */
import { createHash } from 'node:crypto';

/** Bytes derived from `seed`, `size` long: fast enough for 100 MB (one hash, then doubling copies). */
function filler(seed: string, size: number): Uint8Array {
  const out = new Uint8Array(size);
  const block = createHash('sha256').update(seed).digest();
  out.set(block.subarray(0, Math.min(block.length, size)));
  for (let filled = Math.min(block.length, size); filled < size; filled *= 2) out.copyWithin(filled, 0, Math.min(filled, size - filled));
  return out;
}

/** A JPEG in outline: SOI and a JFIF marker, filler, EOI. */
export function fakeJpeg(seed: string, size: number): Uint8Array {
  const bytes = filler(seed, Math.max(size, 24));
  bytes.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01], 0);
  bytes.set([0xff, 0xd9], bytes.length - 2);
  return bytes;
}

/** An MP4 in outline: an `ftyp` box, then one `mdat` box of filler. */
export function fakeMp4(seed: string, size: number): Uint8Array {
  const bytes = filler(seed, Math.max(size, 32));
  const head = Buffer.alloc(32);
  head.writeUInt32BE(24, 0);
  head.write('ftypisom', 4, 'latin1');
  head.writeUInt32BE(0x200, 12);
  head.write('isommp41', 16, 'latin1');
  head.writeUInt32BE(bytes.length - 24, 24);
  head.write('mdat', 28, 'latin1');
  bytes.set(head, 0);
  return bytes;
}

/** A 15-digit id from a hex id, as MiniMax's task and file ids look (`106916112212032`). */
export function numericId(hex: string): string {
  return String(100_000_000_000_000n + (BigInt(`0x${hex.slice(0, 14)}`) % 900_000_000_000_000n));
}

/** An http(s) link, a base64 data URI of `kind`, or (when allowed) an uploaded file `mm_file://<id>`. */
export function isMediaRef(value: unknown, kind: 'image' | 'video' | 'audio', uploaded = false): boolean {
  if (typeof value !== 'string') return false;
  if (/^https?:\/\/\S+$/i.test(value)) return true;
  if (uploaded && /^mm_file:\/\/\w+$/.test(value)) return true;
  const m = /^data:([\w.+-]+)\/[\w.+-]+;base64,([A-Za-z0-9+/=\s]+)$/.exec(value);
  return m !== null && m[1] === kind;
}
