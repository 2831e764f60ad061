import type { TablesAccess } from './api-entry';

/**
 * What every function needs to know its caller: Basic credentials may be a native user's (one GetItem), a
 * Bearer token is resolved with its revocation watermarks by one BatchGetItem, and authorizing may read
 * native roles (GetItem, or BatchGetItem for several).
 */
export const CALLER = {
  tokens: { items: ['BatchGetItem'] },
  users: { items: ['GetItem'] },
  roles: { items: ['BatchGetItem'] },
} as const satisfies TablesAccess;
