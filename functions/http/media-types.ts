/**
 * How Elasticsearch reads the `Accept` and `Content-Type` headers of a request, from its sources:
 * ParsedMediaType (the parsing), XContentType's MediaTypeRegistry (the types it knows, matched exactly on
 * `type/subtype`, with `compatible-with` checked against `\d+`), RestCompatibleVersionHelper (the versions a
 * versioned media type may ask for) and RestRequest (which header failed, as media_type_header_exception).
 *
 * This service reads and writes JSON only: YAML, CBOR and Smile, which Elasticsearch also parses, are
 * refused with 406 (a difference docs/differences.md lists), as is any type Elasticsearch itself does not know.
 */

import { MediaTypeHeaderError, UnsupportedContentTypeError } from '../errors';
import { javaTrim } from '../java-text';
import { ELASTICSEARCH_MAJOR } from './product';

export interface ParsedMediaType {
  /** The header value as received, which Elasticsearch quotes in its messages. */
  readonly original: string;
  /** `type/subtype`, lower case. */
  readonly typeWithSubtype: string;
  readonly parameters: ReadonlyMap<string, string>;
}

/** RFC 7230's tchar, as ParsedMediaType's TCHAR_PATTERN. */
const TCHAR = /^[a-zA-Z0-9!#$%&'*+\-.^_`|~]+$/;

const isSpace = (c: string | undefined) => c === undefined || c.charCodeAt(0) <= 0x20;

/**
 * ParsedMediaType.parseMediaType: `undefined` for a media range (any `,`) or `*` + `/*`, which
 * Elasticsearch treats as "not provided"; an IllegalArgument-style Error for a malformed value.
 */
export function parseMediaType(header: string): ParsedMediaType | undefined {
  if (header.includes(',') || header === '*/*') return undefined;
  const elements = header.toLowerCase().split(';');
  const typeAndSubtype = (elements[0] as string).split('/');
  if (typeAndSubtype.length !== 2 || !typeAndSubtype.every((part) => TCHAR.test(javaTrim(part)))) {
    throw new Error(`invalid media-type [${header}]`);
  }
  const parameters = new Map<string, string>();
  for (const element of elements.slice(1)) {
    const parameter = javaTrim(element);
    if (parameter === '') continue;
    // Spaces are allowed between parameters, but not around '='.
    const keyValue = parameter.split('=').filter((part, i, all) => part !== '' || i < all.length - 1);
    const [key, value] = keyValue;
    if (keyValue.length !== 2 || key === undefined || value === undefined || isSpace(key.at(-1)) || isSpace(value[0])) {
      throw new Error(`invalid parameters for header [${header}]`);
    }
    parameters.set(javaTrim(key), javaTrim(value));
  }
  return { original: header, typeWithSubtype: typeAndSubtype.map(javaTrim).join('/'), parameters };
}

/** The formats of XContentType's registry: what Elasticsearch can read and write. */
type ContentFormat = 'json' | 'yaml' | 'cbor' | 'smile';

interface RegisteredType {
  readonly format: ContentFormat;
  /** `application/vnd.elasticsearch+...`: the `compatible-with` parameter must be digits. */
  readonly versioned: boolean;
}

const VENDOR = 'application/vnd.elasticsearch+';

/** XContentType.MEDIA_TYPE_REGISTRY, by `type/subtype`. */
const REGISTRY: ReadonlyMap<string, RegisteredType> = new Map([
  ['application/json', { format: 'json', versioned: false }],
  ['application/x-ndjson', { format: 'json', versioned: false }],
  ['application/*', { format: 'json', versioned: false }],
  ['application/yaml', { format: 'yaml', versioned: false }],
  ['application/cbor', { format: 'cbor', versioned: false }],
  ['application/smile', { format: 'smile', versioned: false }],
  [`${VENDOR}json`, { format: 'json', versioned: true }],
  [`${VENDOR}x-ndjson`, { format: 'json', versioned: true }],
  [`${VENDOR}yaml`, { format: 'yaml', versioned: true }],
  [`${VENDOR}cbor`, { format: 'cbor', versioned: true }],
  [`${VENDOR}smile`, { format: 'smile', versioned: true }],
]);

const COMPATIBLE_WITH = 'compatible-with';

/** ParsedMediaType.toMediaType: the registered type, or undefined (unknown, or a bad `compatible-with`). */
function registeredFormat(mediaType: ParsedMediaType): ContentFormat | undefined {
  const registered = REGISTRY.get(mediaType.typeWithSubtype);
  if (registered === undefined) return undefined;
  const version = mediaType.parameters.get(COMPATIBLE_WITH);
  if (registered.versioned && version !== undefined && !/^\d+$/.test(version)) return undefined;
  return registered.format;
}

/** RestCompatibleVersionHelper.parseVersion: Java's Byte.parseByte of the parameter. */
function versionOf(mediaType: ParsedMediaType | undefined): number | undefined {
  const raw = mediaType?.parameters.get(COMPATIBLE_WITH);
  if (raw === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(raw)) throw new MediaTypeHeaderError(['Accept', 'Content-Type'], numberFormat(raw));
  const version = Number(raw);
  if (version < -128 || version > 127) {
    throw new MediaTypeHeaderError(['Accept', 'Content-Type'], {
      type: 'number_format_exception',
      reason: `Value out of range. Value:"${raw}" Radix:10`,
    });
  }
  return version;
}

function numberFormat(raw: string) {
  return { type: 'number_format_exception', reason: `For input string: "${raw}"` };
}

const statusException = (reason: string) => ({ type: 'status_exception', reason });

/**
 * The oldest `compatible-with` accepted: 7, one major below Elasticsearch's own minimum (the current major and the
 * previous one), an extension (docs/differences.md) so that the 7.17 clients in versioned mode work unchanged. The
 * REST API this service implements is the same under 7, 8 and 9. A refused version keeps Elasticsearch's text.
 */
const OLDEST_COMPATIBLE = 7;

/** RestCompatibleVersionHelper.getCompatibleVersion: the REST API version the request asks for. */
function compatibleVersion(accept: ParsedMediaType | undefined, contentType: ParsedMediaType | undefined, hasContent: boolean) {
  const [current, previous, minimum] = [ELASTICSEARCH_MAJOR, ELASTICSEARCH_MAJOR - 1, OLDEST_COMPATIBLE];
  const acceptVersion = versionOf(accept);
  const contentVersion = versionOf(contentType);
  const [a, c] = [acceptVersion ?? current, contentVersion ?? current];
  const refuse = (reason: string) => new MediaTypeHeaderError(['Accept', 'Content-Type'], statusException(reason));
  if (a > current || a < minimum) {
    throw refuse(
      `Accept version must be either version ${current} or ${previous}, but found ${a}. Accept=${accept?.original ?? null}`,
    );
  }
  if (hasContent) {
    if (c > current || c < minimum) {
      throw refuse(
        `Content-Type version must be either version ${current} or ${previous}, but found ${c}. Content-Type=${contentType?.original ?? null}`,
      );
    }
    const both = `Accept=${accept?.original ?? null}, Content-Type=${contentType?.original ?? null}`;
    if (a !== c) {
      throw refuse(
        'A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible ' +
          `version and the compatible versions must match. ${both}`,
      );
    }
    if ((contentVersion === undefined) !== (acceptVersion === undefined)) {
      throw refuse(
        `A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version. ${both}`,
      );
    }
    return c;
  }
  return a;
}

/** RestRequest.parseHeaderWithMediaType: one value, not blank, well formed. */
function parseHeader(name: 'Accept' | 'Content-Type', value: string | undefined): ParsedMediaType | undefined {
  if (value === undefined) return undefined;
  const cause = (reason: string) => new MediaTypeHeaderError([name], { type: 'illegal_argument_exception', reason });
  if (javaTrim(value) === '') throw cause(`Header [${name}] cannot be empty.`);
  try {
    return parseMediaType(value);
  } catch (error) {
    throw cause((error as Error).message);
  }
}

export interface Negotiated {
  /** The `Content-Type` of every answer to this request. */
  readonly responseContentType: string;
}

/**
 * Reads both headers as Elasticsearch's RestRequest does, then refuses what this service cannot serve:
 * a body that is not JSON (406, as RestController answers an unknown type) and an `Accept` naming a
 * format other than JSON. A versioned request is answered in the vendor type with its version, as
 * Elasticsearch does; anything else in `application/json`.
 */
export function negotiateMediaTypes(headers: { accept?: string; 'content-type'?: string }, hasContent: boolean): Negotiated {
  const accept = parseHeader('Accept', headers.accept);
  const contentType = parseHeader('Content-Type', headers['content-type']);
  const version = compatibleVersion(accept, contentType, hasContent);
  if (hasContent && contentType !== undefined && registeredFormat(contentType) !== 'json') {
    throw new UnsupportedContentTypeError(notSupported('Content-Type', contentType));
  }
  const acceptFormat = accept === undefined ? undefined : registeredFormat(accept);
  if (accept !== undefined && acceptFormat !== undefined && acceptFormat !== 'json')
    throw new UnsupportedContentTypeError(notSupported('Accept', accept));
  const versioned = (accept ?? contentType)?.parameters.has(COMPATIBLE_WITH) === true;
  return { responseContentType: versioned ? `${VENDOR}json;compatible-with=${version}` : 'application/json' };
}

/** RestController's text, with the reason when the type is one Elasticsearch parses but this service does not. */
function notSupported(header: 'Accept' | 'Content-Type', mediaType: ParsedMediaType): string {
  const format = registeredFormat(mediaType);
  const text = `${header} header [${mediaType.original}] is not supported`;
  return format === undefined ? text : `${text}: this service reads and writes JSON only, not ${format.toUpperCase()}`;
}
