import { PREDEFINED_CLUSTER_PRIVILEGES } from '../cluster-privileges';
import { INDEX_PRIVILEGE_ACTIONS } from './index-privileges';

/**
 * `GET /_security/privilege/_builtin` (TransportGetBuiltinPrivilegesAction): the predefined cluster and index
 * privilege names, each list sorted as Java sorts strings (a TreeSet), and the privileges a remote cluster entry
 * may grant (`RemoteClusterPermissions.getSupportedRemoteClusterPermissions`).
 */
export interface BuiltinPrivileges {
  readonly cluster: readonly string[];
  readonly index: readonly string[];
  readonly remote_cluster: readonly string[];
}

/** Java's `String.compareTo`: by UTF-16 code unit, which for these ASCII names is the code point order. */
const javaOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const BUILTIN_PRIVILEGES: BuiltinPrivileges = {
  cluster: [...PREDEFINED_CLUSTER_PRIVILEGES].sort(javaOrder),
  index: [...INDEX_PRIVILEGE_ACTIONS.keys()].sort(javaOrder),
  remote_cluster: ['monitor_enrich', 'monitor_stats'],
};
