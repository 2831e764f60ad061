import type { TableId as RegisteredTableId } from '../functions/api/api-entry';
import type { Config } from '../functions/config';
import { ROLE_MAPPINGS_TABLE, ROLES_TABLE, type TableDefinition, TOKENS_TABLE, USERS_TABLE } from '../functions/store/tables';

export interface DeployedTable {
  /** Key schema, indexes and TTL, shared with the local bootstrap and the tests. */
  readonly definition: TableDefinition;
  /** The environment variable through which the functions learn the table's generated name. */
  readonly nameVariable: string;
  /** The name the service uses when no stack named it (the local API, `sam local`). */
  readonly localName: (config: Config) => string;
}

/** Every table of the service: the stack creates each one, and the APIs' grants (the registry's) refer to them by id. */
export const TABLES = {
  tokens: { definition: TOKENS_TABLE, nameVariable: 'TOKENS_TABLE', localName: (config) => config.tokensTable },
  users: { definition: USERS_TABLE, nameVariable: 'USERS_TABLE', localName: (config) => config.usersTable },
  roles: { definition: ROLES_TABLE, nameVariable: 'ROLES_TABLE', localName: (config) => config.rolesTable },
  roleMappings: {
    definition: ROLE_MAPPINGS_TABLE,
    nameVariable: 'ROLE_MAPPINGS_TABLE',
    localName: (config) => config.roleMappingsTable,
  },
} as const satisfies Record<RegisteredTableId, DeployedTable>;

export type TableId = keyof typeof TABLES;
