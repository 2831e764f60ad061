/**
 * The Elasticsearch this service presents itself as: one version, used by the info API (`GET /`), the
 * `Warning` header's agent and the versioned media types. 9.0.0 because:
 * - the JavaScript and Python clients 9.x send `compatible-with=9`, which only a 9.x accepts;
 * - the 8.x clients send `compatible-with=8` (the previous major, which a 9.x also accepts) or plain JSON;
 * - the 7.17 clients check `GET /` for a version of 7.14 or later with `X-Elastic-Product: Elasticsearch`, and
 *   send plain JSON unless told to send `compatible-with=7`, which a 9.x refuses as Elasticsearch 9 does.
 */
export const ELASTICSEARCH_VERSION = '9.0.0';
export const ELASTICSEARCH_MAJOR = 9;
/** Not a build of Elasticsearch: its build fields say so with Elasticsearch's own word for it. */
export const BUILD_HASH = 'unknown';
/** The Lucene, wire and index versions Elasticsearch 9.0.0 reports. */
export const LUCENE_VERSION = '10.1.0';
export const MINIMUM_WIRE_COMPATIBILITY_VERSION = '8.18.0';
export const MINIMUM_INDEX_COMPATIBILITY_VERSION = '8.0.0';

/** HeaderWarning's form, `299 Elasticsearch-<version>-<build> "<text>"`: what the clients read as a warning. */
export function warningHeader(text: string): string {
  return `299 Elasticsearch-${ELASTICSEARCH_VERSION}-${BUILD_HASH} ${JSON.stringify(text)}`;
}
