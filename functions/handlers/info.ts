import { createHash } from 'node:crypto';
import * as APIS from '../api/registry';
import type { Core } from '../composition/core';
import { functionService } from '../composition/function-service';
import type { Config } from '../config';
import { apiHandler } from '../http/api-handler';
import {
  BUILD_HASH,
  ELASTICSEARCH_VERSION,
  LUCENE_VERSION,
  MINIMUM_INDEX_COMPATIBILITY_VERSION,
  MINIMUM_WIRE_COMPATIBILITY_VERSION,
} from '../http/product';
import { jsonResponse } from '../http/responses';

/**
 * The cluster's UUID, in the 22-character URL-safe base64 form of Elasticsearch's UUIDs: derived from the
 * region and the token table's name, which CloudFormation makes unique to a deployment and keeps for its
 * life, so every function of a deployment (and every cold start) answers the same one.
 */
export function clusterUuid({ region, tokensTable }: Pick<Config, 'region' | 'tokensTable'>): string {
  return createHash('sha256').update(`cluster_uuid\u0000${region}\u0000${tokensTable}`).digest('base64url').slice(0, 22);
}

/** The info API's answer (Elasticsearch's RestMainAction / MainResponse), keys in its order. */
export function clusterInfo(config: Config) {
  return {
    name: config.functionName ?? 'es-token-service',
    cluster_name: 'es-token-service',
    cluster_uuid: clusterUuid(config),
    version: {
      number: ELASTICSEARCH_VERSION,
      build_flavor: 'default',
      build_type: 'unknown',
      build_hash: BUILD_HASH,
      build_date: 'unknown',
      build_snapshot: false,
      lucene_version: LUCENE_VERSION,
      minimum_wire_compatibility_version: MINIMUM_WIRE_COMPATIBILITY_VERSION,
      minimum_index_compatibility_version: MINIMUM_INDEX_COMPATIBILITY_VERSION,
    },
    tagline: 'You Know, for Search',
  };
}

/**
 * `GET /` and `HEAD /`: what the clients ask first (the Python client's product check), and what health
 * checks call. Authenticated and authorized as `cluster:monitor/main`, as in Elasticsearch; an answer to HEAD
 * has the same status and headers and no body (API Gateway and the local API drop it).
 */
export const createHandler = (service: () => Core) =>
  apiHandler(service, APIS.info, {
    body: 'none',
    parse: () => undefined,
    run: async (_request, _context, { config }) => jsonResponse(200, clusterInfo(config)),
  });

export const handler = createHandler(functionService());
