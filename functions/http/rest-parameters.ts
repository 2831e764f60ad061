import type { APIGatewayProxyResult } from 'aws-lambda';
import { IllegalArgumentError, UnsupportedContentTypeError } from '../errors';
import { applyFilterPath, parseFilterPath } from './filter-path';

/**
 * The query parameters every Elasticsearch API takes, read by its REST channel and controller
 * (AbstractRestChannel, RestController): response formatting, and `error_trace`, which asks for stack traces
 * this service never shows. `format` is accepted for JSON only (media-types.ts refuses the others).
 */
const COMMON_PARAMETERS = ['error_trace', 'filter_path', 'format', 'human', 'pretty'] as const;

type QueryParameters = Readonly<Record<string, string | undefined>> | null | undefined;

/** Lucene's LevenshteinDistance.getDistance, as BaseRestHandler scores its suggestions: 1 - edits / longer length. */
function levenshteinSimilarity(target: string, other: string): number {
  const [a, b] = [target.split(''), other.split('')]; // Java chars: UTF-16 code units
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 1 : 0;
  let previous = Array.from({ length: a.length + 1 }, (_, i) => i);
  for (let j = 1; j <= b.length; j++) {
    const current = [j];
    for (let i = 1; i <= a.length; i++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[i] = Math.min((current[i - 1] as number) + 1, (previous[i] as number) + 1, (previous[i - 1] as number) + cost);
    }
    previous = current;
  }
  return Math.fround(1 - Math.fround((previous[a.length] as number) / Math.max(a.length, b.length)));
}

/** BaseRestHandler.unrecognized: each unknown parameter, with the known ones scoring above 0.5 as suggestions. */
export function unrecognizedParametersMessage(path: string, invalids: readonly string[], candidates: readonly string[]): string {
  const described = invalids.map((invalid) => {
    const suggestions = candidates
      .map((candidate) => ({ candidate, score: levenshteinSimilarity(invalid, candidate) }))
      .filter(({ score }) => score > 0.5)
      .sort((x, y) => y.score - x.score || (x.candidate < y.candidate ? -1 : x.candidate > y.candidate ? 1 : 0))
      .map(({ candidate }) => candidate);
    if (suggestions.length === 0) return `[${invalid}]`;
    return `[${invalid}] -> did you mean ${suggestions.length > 1 ? 'any of ' : ''}[${suggestions.join(', ')}]?`;
  });
  return `request [${path}] contains unrecognized parameter${invalids.length > 1 ? 's' : ''}: ${described.join(', ')}`;
}

/** RestRequest.paramAsBoolean: present and empty is true, else Booleans.parseBoolean's strict true/false. */
export function booleanParameter(params: QueryParameters, name: string): boolean {
  const value = params?.[name];
  if (value === undefined) return false;
  if (value === '' || value === 'true') return true;
  if (value === 'false') return false;
  throw new IllegalArgumentError(`Failed to parse value [${value}] as only [true] or [false] are allowed.`);
}

/**
 * WriteRequest.RefreshPolicy.parse, for the user and role APIs that declare `refresh`. Every write of this
 * service is visible to the next read already, so each policy is met as soon as the write returns.
 */
function assertRefreshPolicy(value: string): void {
  if (!['', 'true', 'false', 'wait_for'].includes(value))
    throw new IllegalArgumentError(`Unknown value for refresh: [${value}].`);
}

/**
 * BaseRestHandler's check: a parameter that neither the API nor the REST layer reads is refused, with what
 * the caller probably meant. `known` are the API's own parameters (as its REST spec declares them) and
 * `pathParameters` the names of its path's parts, which Elasticsearch counts as read.
 */
export function assertKnownParameters(
  path: string,
  params: QueryParameters,
  known: readonly string[],
  pathParameters: readonly string[],
): void {
  const candidates = [...COMMON_PARAMETERS, ...known, ...pathParameters];
  const given = Object.keys(params ?? {});
  const invalids = given.filter((name) => !candidates.includes(name)).sort();
  if (invalids.length > 0) throw new IllegalArgumentError(unrecognizedParametersMessage(path, invalids, candidates));
  for (const name of ['pretty', 'human', 'error_trace']) booleanParameter(params, name);
  // AbstractRestChannel reads `format` as a content type's short name; only JSON is written here.
  const format = params?.format?.toLowerCase();
  if (format === 'yaml' || format === 'cbor' || format === 'smile') {
    throw new UnsupportedContentTypeError(`format [${params?.format}] is not supported: this service writes JSON only`);
  }
  if (params?.refresh !== undefined && known.includes('refresh')) assertRefreshPolicy(params.refresh);
  if (params?.with_profile_uid !== undefined && known.includes('with_profile_uid')) booleanParameter(params, 'with_profile_uid');
}

/** Jackson's DefaultPrettyPrinter, which `?pretty` uses: `"key" : value`, two-space indents, arrays inline. */
export function prettyJson(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return `[ ${value.map((item) => prettyJson(item, indent)).join(', ')} ]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{ }';
    const inner = `${indent}  `;
    const fields = entries.map(([key, v]) => `${inner}${JSON.stringify(key)} : ${prettyJson(v, inner)}`);
    return `{\n${fields.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export interface ResponseFormat {
  readonly contentType: string;
  readonly pretty: boolean;
  readonly filterPath?: string;
}

/**
 * Applies the request's formatting to an answer: its Content-Type, `filter_path` (on success only: as in
 * Elasticsearch, error bodies are never filtered) and `pretty`. A body that is not JSON is left as it is.
 */
export function formatResponse(result: APIGatewayProxyResult, format: ResponseFormat): APIGatewayProxyResult {
  const headers = { ...result.headers, 'content-type': format.contentType };
  if (!format.pretty && format.filterPath === undefined) return { ...result, headers };
  let body: unknown;
  try {
    body = JSON.parse(result.body);
  } catch {
    return { ...result, headers };
  }
  if (format.filterPath !== undefined && result.statusCode < 400)
    body = applyFilterPath(body, parseFilterPath(format.filterPath));
  return { ...result, headers, body: format.pretty ? `${prettyJson(body)}\n` : JSON.stringify(body) };
}
