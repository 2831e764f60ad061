import { ContentParseError } from '../errors';

/**
 * The bytes of a request's body, as the client sent them. API Gateway base64-encodes a body whose media type is
 * binary to it (the stack declares every type binary, so that no body is decoded before the function reads it:
 * infra/rest-api.ts); the local API does the same.
 */
export function bodyBytes(event: { readonly body?: unknown; readonly isBase64Encoded?: boolean }): Buffer {
  if (typeof event.body !== 'string') return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

/** A byte-order mark is dropped, as Jackson skips it. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** How many continuation bytes a lead byte announces, and the range its first one must fall in (RFC 3629). */
function sequenceOf(lead: number): { length: number; low: number; high: number } | undefined {
  if (lead >= 0xc2 && lead <= 0xdf) return { length: 1, low: 0x80, high: 0xbf };
  if (lead === 0xe0) return { length: 2, low: 0xa0, high: 0xbf };
  if (lead === 0xed) return { length: 2, low: 0x80, high: 0x9f };
  if (lead >= 0xe1 && lead <= 0xef) return { length: 2, low: 0x80, high: 0xbf };
  if (lead === 0xf0) return { length: 3, low: 0x90, high: 0xbf };
  if (lead === 0xf4) return { length: 3, low: 0x80, high: 0x8f };
  if (lead >= 0xf1 && lead <= 0xf3) return { length: 3, low: 0x80, high: 0xbf };
  return undefined;
}

/** The first byte that breaks UTF-8: a sequence's first byte, one of its others, or the end that cuts it. */
function firstInvalidByte(bytes: Buffer): { at: number; kind: 'start' | 'middle' | 'end' } {
  for (let i = 0; i < bytes.length; i++) {
    const lead = bytes[i] as number;
    if (lead < 0x80) continue;
    const sequence = sequenceOf(lead);
    if (sequence === undefined) return { at: i, kind: 'start' };
    for (let k = 1; k <= sequence.length; k++) {
      const next = bytes[i + k];
      const [low, high] = k === 1 ? [sequence.low, sequence.high] : [0x80, 0xbf];
      if (next === undefined) return { at: bytes.length, kind: 'end' };
      if (next < low || next > high) return { at: i + k, kind: 'middle' };
    }
    i += sequence.length;
  }
  return { at: 0, kind: 'start' };
}

/**
 * ER-13: a JSON body is UTF-8, read strictly. Replacing bad bytes with U+FFFD, as a lenient decoder does, would
 * make different passwords the same one; Elasticsearch's parser (Jackson) refuses them, with its message and a
 * `[line:column]` of the byte (counted in bytes, as Jackson counts).
 */
export function decodeUtf8Body(bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    const { at, kind } = firstInvalidByte(bytes);
    const before = bytes.subarray(0, at);
    const line = before.filter((b) => b === 0x0a).length + 1;
    const column = at - before.lastIndexOf(0x0a);
    const problem =
      kind === 'end' ? 'Unexpected end-of-input in a UTF-8 character' : `Invalid UTF-8 ${kind} byte 0x${bytes[at]?.toString(16)}`;
    throw new ContentParseError(`[${line}:${column}] ${problem}`);
  }
}
