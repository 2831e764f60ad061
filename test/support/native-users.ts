import { USERS } from './file-realm';
import { type Auth, type Credentials, call, type TestApi } from './test-api';

/** The ES error body of the contract's notation, for `toEqual`. */
export const esError = (type: string, reason: string, status: number) => ({
  error: expect.objectContaining({ root_cause: [expect.objectContaining({ type, reason })], type, reason }),
  status,
});

export const validationError = (...messages: string[]) =>
  esError('action_request_validation_exception', `Validation Failed: ${messages.map((m, i) => `${i + 1}: ${m};`).join('')}`, 400);

export interface NativeUserSpec extends Credentials {
  readonly roles?: readonly string[];
  readonly full_name?: string;
}

/** Creates (or replaces) a native user through the user API, as `elastic`. */
export async function putNativeUser(api: Pick<TestApi, 'url'>, user: NativeUserSpec, caller: Auth = USERS.elastic) {
  const response = await call(api, 'PUT', `/_security/user/${encodeURIComponent(user.username)}`, {
    auth: caller,
    body: {
      password: user.password,
      roles: user.roles ?? [],
      ...(user.full_name !== undefined && { full_name: user.full_name }),
    },
  });
  if (response.status !== 200) throw new Error(`put user failed: ${response.status} ${response.text}`);
  return response.body as { created: boolean };
}

/** Creates (or replaces) a native role granting `cluster` (and `run_as`, if given) through the role API, as `elastic`. */
export async function putNativeRole(
  api: Pick<TestApi, 'url'>,
  name: string,
  cluster: readonly string[],
  more: { readonly run_as?: readonly string[] } = {},
) {
  const response = await call(api, 'PUT', `/_security/role/${encodeURIComponent(name)}`, {
    auth: USERS.elastic,
    body: { cluster, ...more },
  });
  if (response.status !== 200) throw new Error(`put role failed: ${response.status} ${response.text}`);
  return response.body as { role: { created: boolean } };
}
