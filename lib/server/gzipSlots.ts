/**
 * gzip for a body that is the same on every response but for short slots filled per response —
 * a cached page and its CSP nonce (lib/server/pageCache.ts): the fixed parts are compressed once,
 * each response costs only a CRC-32 and a copy.
 *
 * DEFLATE (RFC 1951) streams are sequences of blocks; a compressor flushed with Z_SYNC_FLUSH ends
 * on a byte boundary with no final block, so independently compressed parts can follow one
 * another. A slot's bytes go in between as a stored (uncompressed) block, and an empty final
 * stored block ends the stream. The gzip wrapper (RFC 1952) needs the CRC-32 and length of the
 * whole uncompressed body, computed per response (zlib.crc32, native).
 */

import { promisify } from "node:util";
import { constants, crc32, deflateRaw } from "node:zlib";

const deflateRawAsync = promisify(deflateRaw);

/** The fixed parts of a body, each DEFLATE-compressed and byte-aligned, with their lengths. */
export interface CompressedParts {
  deflated: Buffer[];
  parts: readonly Buffer[];
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]); // deflate, no name, no mtime, unknown OS
const FINAL_EMPTY_BLOCK = Buffer.from([0x01, 0x00, 0x00, 0xff, 0xff]); // BFINAL=1, stored, LEN 0, NLEN ~0
const MAX_STORED = 0xffff;

/** Compresses each part (on zlib's thread pool, not the calling thread). */
export async function compressParts(parts: readonly Buffer[]): Promise<CompressedParts> {
  return { parts, deflated: await Promise.all(parts.map((part) => deflateRawAsync(part, { finishFlush: constants.Z_SYNC_FLUSH }))) };
}

/** `bytes` as stored DEFLATE blocks, not final (BFINAL=0, BTYPE=00, then LEN and its complement). */
function storedBlocks(bytes: Buffer): Buffer[] {
  const blocks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += MAX_STORED) {
    const chunk = bytes.subarray(at, at + MAX_STORED);
    const header = Buffer.alloc(5);
    header.writeUInt16LE(chunk.length, 1);
    header.writeUInt16LE(~chunk.length & 0xffff, 3);
    blocks.push(header, chunk);
  }
  return blocks;
}

/** zlib.crc32 continued over `bytes`; an empty buffer leaves it as it is (Node 20's crc32 returns 0 for an empty buffer with no backing store, whatever the value it was given). */
const crcOver = (crc: number, bytes: Buffer) => (bytes.length ? crc32(bytes, crc) : crc);

/** The gzip of part 0, slot 0, part 1, slot 1, …, part n (n + 1 parts, n slots). */
export function gzipWithSlots({ deflated, parts }: CompressedParts, slots: readonly Buffer[]): Buffer {
  if (slots.length !== parts.length - 1) throw new RangeError(`${parts.length} parts take ${parts.length - 1} slots, not ${slots.length}`);
  const chunks: Buffer[] = [GZIP_HEADER];
  let crc = 0;
  let size = 0;
  parts.forEach((part, i) => {
    chunks.push(deflated[i]!);
    crc = crcOver(crc, part);
    size += part.length;
    const slot = slots[i];
    if (slot) {
      chunks.push(...storedBlocks(slot));
      crc = crcOver(crc, slot);
      size += slot.length;
    }
  });
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size >>> 0, 4);
  chunks.push(FINAL_EMPTY_BLOCK, trailer);
  return Buffer.concat(chunks);
}
