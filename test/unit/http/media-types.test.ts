import { MediaTypeHeaderError, UnsupportedContentTypeError } from '../../../functions/errors';
import { negotiateMediaTypes, parseMediaType } from '../../../functions/http/media-types';

// Expected behaviour and texts: Elasticsearch's ParsedMediaType, XContentType (MEDIA_TYPE_REGISTRY),
// RestCompatibleVersionHelper, RestRequest.MediaTypeHeaderException and RestController (406).
const VND = (n: number | string) => `application/vnd.elasticsearch+json; compatible-with=${n}`;

function refusal(headers: { accept?: string; 'content-type'?: string }, hasContent = true) {
  try {
    negotiateMediaTypes(headers, hasContent);
  } catch (error) {
    return error as MediaTypeHeaderError | UnsupportedContentTypeError;
  }
  throw new Error('accepted');
}

describe('content types matched exactly against Elasticsearch XContentType registry', () => {
  it.each([
    'application/json',
    'Application/JSON',
    'application/json; charset=UTF-8',
    'application/x-ndjson',
    VND(9),
    VND(8),
    'application/vnd.elasticsearch+json;compatible-with=9',
  ])('a body of %j is JSON', (contentType) => {
    const accept = contentType.includes('compatible-with=8') ? VND(8) : contentType.includes('compatible') ? VND(9) : undefined;
    expect(() => negotiateMediaTypes({ 'content-type': contentType, ...(accept && { accept }) }, true)).not.toThrow();
  });

  it.each(['application/evil+json', 'text/json', 'application/jsonx', 'text/plain', 'application/x-www-form-urlencoded'])(
    '%j is refused with 406 and RestController text (no +json suffix matching)',
    (contentType) => {
      const error = refusal({ 'content-type': contentType });
      expect(error).toBeInstanceOf(UnsupportedContentTypeError);
      expect(error.status).toBe(406);
      expect(error.message).toBe(`Content-Type header [${contentType}] is not supported`);
    },
  );

  it.each([
    ['application/yaml', 'YAML'],
    ['application/cbor', 'CBOR'],
    ['application/smile', 'SMILE'],
    ['application/vnd.elasticsearch+yaml; compatible-with=9', 'YAML'],
  ])('%j, which Elasticsearch parses, gets a clear 406 here', (contentType, format) => {
    const error = refusal({ 'content-type': contentType, ...(contentType.includes('compatible') && { accept: VND(9) }) });
    expect(error.status).toBe(406);
    expect(error.message).toBe(
      `Content-Type header [${contentType}] is not supported: this service reads and writes JSON only, not ${format}`,
    );
  });

  it('an Accept naming YAML is 406 too; a media range or */* is as if not sent', () => {
    expect(refusal({ accept: 'application/yaml' }, false).status).toBe(406);
    expect(negotiateMediaTypes({ accept: '*/*' }, false).responseContentType).toBe('application/json');
    expect(negotiateMediaTypes({ accept: 'application/json, text/plain' }, false).responseContentType).toBe('application/json');
    expect(negotiateMediaTypes({ accept: 'text/html' }, false).responseContentType).toBe('application/json');
  });

  it('a malformed header is 400 media_type_header_exception naming it (ParsedMediaType texts)', () => {
    for (const [value, reason] of [
      ['json', 'invalid media-type [json]'],
      ['application/json; charset', 'invalid parameters for header [application/json; charset]'],
      ['application/json; charset= utf-8', 'invalid parameters for header [application/json; charset= utf-8]'],
      [' ', 'Header [Content-Type] cannot be empty.'],
    ] as const) {
      const error = refusal({ 'content-type': value }, false);
      expect(error).toBeInstanceOf(MediaTypeHeaderError);
      expect(error.message).toBe('Invalid media-type value on headers [Content-Type]');
      expect(error.details.caused_by).toEqual({ type: 'illegal_argument_exception', reason });
    }
    expect(refusal({ accept: 'a/b/c' }, false).message).toBe('Invalid media-type value on headers [Accept]');
  });

  it('parameters and names are read case-insensitively, a compatible-with that is not digits is not registered', () => {
    expect(parseMediaType('Application/Vnd.Elasticsearch+JSON; Compatible-With=9')).toEqual({
      original: 'Application/Vnd.Elasticsearch+JSON; Compatible-With=9',
      typeWithSubtype: 'application/vnd.elasticsearch+json',
      parameters: new Map([['compatible-with', '9']]),
    });
    expect(refusal({ 'content-type': 'application/vnd.elasticsearch+json; compatible-with=x' }).status).toBe(400);
  });
});

describe('versioned media types as Elasticsearch RestCompatibleVersionHelper handles them', () => {
  it.each([9, 8, 7])('compatible-with=%d is accepted and answered in the versioned type (7 an extension)', (n) => {
    expect(negotiateMediaTypes({ accept: VND(n), 'content-type': VND(n) }, true).responseContentType).toBe(
      `application/vnd.elasticsearch+json;compatible-with=${n}`,
    );
    expect(negotiateMediaTypes({ accept: VND(n) }, false).responseContentType).toBe(
      `application/vnd.elasticsearch+json;compatible-with=${n}`,
    );
  });

  it.each([6, 10, 0, -1])('compatible-with=%d, outside 7-9, is 400 media_type_header_exception with Elasticsearch text', (n) => {
    const onAccept = refusal({ accept: VND(n) }, false);
    expect(onAccept).toBeInstanceOf(MediaTypeHeaderError);
    expect(onAccept.message).toBe('Invalid media-type value on headers [Accept, Content-Type]');
    expect(onAccept.details.caused_by).toEqual({
      type: 'status_exception',
      reason: `Accept version must be either version 9 or 8, but found ${n}. Accept=${VND(n)}`,
    });
    const onBody = refusal({ accept: VND(n), 'content-type': VND(n) }, true);
    expect(onBody.details.caused_by).toMatchObject({ reason: expect.stringMatching(/^Accept version must be/) });
    const onContentOnly = refusal({ accept: VND(9), 'content-type': VND(n) }, true);
    expect(onContentOnly.details.caused_by).toEqual({
      type: 'status_exception',
      reason: `Content-Type version must be either version 9 or 8, but found ${n}. Content-Type=${VND(n)}`,
    });
  });

  it('with a body, both headers must be versioned, with the same version', () => {
    expect(refusal({ accept: VND(8), 'content-type': VND(9) }).details.caused_by).toEqual({
      type: 'status_exception',
      reason:
        'A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible ' +
        `version and the compatible versions must match. Accept=${VND(8)}, Content-Type=${VND(9)}`,
    });
    expect(refusal({ 'content-type': VND(9) }).details.caused_by).toEqual({
      type: 'status_exception',
      reason:
        'A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible ' +
        `version. Accept=null, Content-Type=${VND(9)}`,
    });
    // Without a body the Content-Type's version is not checked, as in Elasticsearch.
    expect(() => negotiateMediaTypes({ 'content-type': VND(6) }, false)).not.toThrow();
  });
});
