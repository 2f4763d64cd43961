// SPDX-License-Identifier: MIT
import { createHash } from 'node:crypto';
import type { LabelledSet } from './labelled-set.js';

/**
 * sha256 (hex) of a set's shape, feature bytes and label bytes: equal fingerprints mean equal
 * sets bit for bit (on the same byte order; every platform Node supports here is little-endian).
 * A manifest stores it so that a re-created data set can be checked. Cost O(N·F).
 */
export function fingerprintSet(set: LabelledSet): string {
  const f = set.features;
  const l = set.labels;
  return createHash('sha256')
    .update(`lossscape-set:v1:${set.rows}x${set.featureCount}:${set.classes}:`)
    .update(new Uint8Array(f.buffer, f.byteOffset, f.byteLength))
    .update(new Uint8Array(l.buffer, l.byteOffset, l.byteLength))
    .digest('hex');
}
