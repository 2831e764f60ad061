import type { NativeRole } from './role-store';
import { SUPERUSER_ROLE } from './roles';

/** The built-in `superuser` as Elasticsearch shows it: everything, on every index, application and user. */
export const SUPERUSER: NativeRole = {
  name: SUPERUSER_ROLE,
  descriptor: {
    cluster: ['all'],
    indices: [{ names: ['*'], privileges: ['all'], allow_restricted_indices: false }],
    applications: [{ application: '*', privileges: ['*'], resources: ['*'] }],
    run_as: ['*'],
    metadata: { _reserved: true },
  },
};
