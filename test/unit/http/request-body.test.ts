import { ContentParseError } from '../../../functions/errors';
import { bodyBytes, decodeUtf8Body } from '../../../functions/http/request-body';

const body = (...parts: (string | number[])[]) => Buffer.concat(parts.map((part) => Buffer.from(part as never)));

describe('reading a body as strict UTF-8', () => {
  it('ER-13: decodes multi-byte characters and drops a byte-order mark, as Jackson does', () => {
    expect(decodeUtf8Body(body('{"p":"é☃𝄞"}'))).toBe('{"p":"é☃𝄞"}');
    expect(decodeUtf8Body(body([0xef, 0xbb, 0xbf], '{}'))).toBe('{}');
  });

  it.each([
    ['a stray continuation byte', body('{"p":"', [0x80], '"}'), '[1:7] Invalid UTF-8 start byte 0x80'],
    ['a byte no sequence starts with', body('{}\n{"p":"', [0xff], '"}'), '[2:7] Invalid UTF-8 start byte 0xff'],
    ['a lead byte without its continuation', body('{"p":"', [0xc3, 0x28], '"}'), '[1:8] Invalid UTF-8 middle byte 0x28'],
    ['an overlong form', body('{"p":"', [0xc0, 0x80], '"}'), '[1:7] Invalid UTF-8 start byte 0xc0'],
    ['an encoded surrogate', body('{"p":"', [0xed, 0xa0, 0x80], '"}'), '[1:8] Invalid UTF-8 middle byte 0xa0'],
    ['a code point past U+10FFFF', body('{"p":"', [0xf4, 0x90, 0x80, 0x80], '"}'), '[1:8] Invalid UTF-8 middle byte 0x90'],
    ['a sequence cut by the end', body('{"p":"', [0xe2, 0x82]), '[1:9] Unexpected end-of-input in a UTF-8 character'],
  ])('ER-13: refuses %s with Jackson’s message and the byte’s position', (_name, bytes, reason) => {
    expect(() => decodeUtf8Body(bytes)).toThrow(new ContentParseError(reason));
  });

  it('reads a base64-encoded body as its bytes, and a plain one as UTF-8 text', () => {
    expect(bodyBytes({ body: Buffer.from([0xff]).toString('base64'), isBase64Encoded: true })).toEqual(Buffer.from([0xff]));
    expect(bodyBytes({ body: 'é', isBase64Encoded: false })).toEqual(Buffer.from('é'));
    expect(bodyBytes({ body: null })).toEqual(Buffer.alloc(0));
  });
});
