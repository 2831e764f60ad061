import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPassword } from '../../functions/security/authc/passwords/bcrypt';
import { RUN_AS_HEADER } from '../../functions/security/authz/run-as';
import { USERS, writeFileRealm } from '../support/file-realm';
import { putNativeRole, putNativeUser } from '../support/native-users';
import { call, startTestApi, type TestApi } from '../support/test-api';

let api: TestApi;
const IMPERSONATOR = { username: 'impersonator', password: 'impersonator-password' };

beforeAll(async () => {
  api = await startTestApi();
  // A native role granting run_as by a wildcard pattern (Automatons), and a native user holding it.
  await putNativeRole(api, 'runner', [], { run_as: ['token_*'] });
  await putNativeUser(api, { ...IMPERSONATOR, roles: ['runner'] });
});
afterAll(() => api.close());

const runAs = (target: string) => ({ [RUN_AS_HEADER]: target });

// Expected texts: Elasticsearch's AuthorizationDenialMessages (runAsDenied, actionDenied), used by AuthorizationService.
describe('run-as, as Elasticsearch does it', () => {
  it('the request acts as the target, authentication_realm the caller, lookup_realm the target', async () => {
    const me = await call(api, 'GET', '/_security/_authenticate', { auth: USERS.elastic, headers: runAs('token_client') });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      username: 'token_client',
      roles: ['token_manager', 'monitoring'],
      authentication_realm: { name: 'reserved', type: 'reserved' },
      lookup_realm: { name: 'default_file', type: 'file' },
      authentication_type: 'realm',
    });
    const native = await call(api, 'GET', '/_security/_authenticate', { auth: IMPERSONATOR, headers: runAs('token_client') });
    expect(native.body).toMatchObject({
      username: 'token_client',
      authentication_realm: { name: 'default_native', type: 'native' },
      lookup_realm: { name: 'default_file', type: 'file' },
    });
  });

  it('a target the roles do not grant, an unknown one or an empty name: 403 runAsDenied', async () => {
    for (const target of ['reader', 'token_ghost', 'elastic', '']) {
      const response = await call(api, 'GET', '/_security/_authenticate', { auth: IMPERSONATOR, headers: runAs(target) });
      expect(response.status).toBe(403);
      expect(response.body.error).toMatchObject({
        type: 'security_exception',
        reason:
          'action [cluster:admin/xpack/security/user/authenticate] is unauthorized for user [impersonator] with effective roles ' +
          `[runner], because user [impersonator] is unauthorized to run as [${target}]`,
      });
    }
  });

  it("a refused run-as cannot change the target's password as the target's own (the run-as is authorized first)", async () => {
    await call(api, 'PUT', '/_security/user/runas_victim', {
      auth: USERS.elastic,
      body: { password: 'victim-password', roles: [] },
    });
    for (const path of ['/_security/user/runas_victim/_password', '/_security/user/_password']) {
      const response = await call(api, 'POST', path, {
        auth: IMPERSONATOR,
        headers: runAs('runas_victim'),
        body: { password: 'taken-over-password' },
      });
      expect(response.status).toBe(403);
      expect(response.body.error.reason).toBe(
        'action [cluster:admin/xpack/security/user/change_password] is unauthorized for user [impersonator] with effective roles ' +
          '[runner], because user [impersonator] is unauthorized to run as [runas_victim]',
      );
    }
    const login = await call(api, 'GET', '/_security/_authenticate', {
      auth: { username: 'runas_victim', password: 'victim-password' },
    });
    expect(login.status).toBe(200);
  });

  it('the target roles authorize the action; a denial names both (actionDenied)', async () => {
    const response = await call(api, 'PUT', '/_security/user/someone', {
      auth: USERS.elastic,
      headers: runAs('reader'),
      body: { password: 'someone-password', roles: [] },
    });
    expect(response.status).toBe(403);
    expect(response.body.error.reason).toBe(
      'action [cluster:admin/xpack/security/user/put] is unauthorized for user [elastic] run as [reader] with effective roles ' +
        '[monitoring], this action is granted by the cluster privileges [manage_security,all]',
    );
    const denied = await call(api, 'POST', '/_security/oauth2/token', {
      auth: IMPERSONATOR,
      headers: runAs('reader'),
      body: { grant_type: 'client_credentials' },
    });
    expect(denied.body.error.reason).toMatch(/^action \[cluster:admin\/xpack\/security\/token\/create\] .* run as \[reader\]$/);
  });

  it('a token created under run-as belongs to the target; the run-as authentication is its creating client', async () => {
    const issued = await call(api, 'POST', '/_security/oauth2/token', {
      auth: IMPERSONATOR,
      headers: runAs('token_client'),
      body: { grant_type: 'client_credentials' },
    });
    expect(issued.status).toBe(200);
    expect(issued.body.authentication).toMatchObject({
      username: 'token_client',
      authentication_realm: { name: 'default_native' },
      lookup_realm: { name: 'default_file' },
    });
    const me = await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: issued.body.access_token } });
    expect(me.body).toMatchObject({
      username: 'token_client',
      authentication_type: 'token',
      lookup_realm: { name: 'default_file' },
    });

    // TokenService records the client as the effective user and the authenticating realm: the same run-as refreshes.
    const pair = await call(api, 'POST', '/_security/oauth2/token', {
      auth: USERS.elastic,
      headers: runAs('token_client'),
      body: { grant_type: 'password', username: USERS.reader.username, password: USERS.reader.password },
    });
    expect(pair.body.authentication.username).toBe('reader');
    const byCaller = await call(api, 'POST', '/_security/oauth2/token', {
      auth: USERS.elastic,
      body: { grant_type: 'refresh_token', refresh_token: pair.body.refresh_token },
    });
    expect(byCaller.body).toEqual({
      error: 'invalid_grant',
      error_description: 'tokens must be refreshed by the creating client',
    });
    const byRunAs = await call(api, 'POST', '/_security/oauth2/token', {
      auth: USERS.elastic,
      headers: runAs('token_client'),
      body: { grant_type: 'refresh_token', refresh_token: pair.body.refresh_token },
    });
    expect(byRunAs.status).toBe(200);
  });

  it('run-as is checked after authentication: an anonymous run-as is 401', async () => {
    expect((await call(api, 'GET', '/_security/_authenticate', { headers: runAs('token_client') })).status).toBe(401);
  });
});

describe('chained run-as through a token: the token keeps both subjects, and a further run-as header is ignored', () => {
  const W = { username: 'chain_w', password: 'chain-w-password' };
  const T = 'chain_t';
  beforeAll(async () => {
    // W may run as T only; T may create tokens and run as elastic.
    await putNativeRole(api, 'chain_w_role', [], { run_as: [T] });
    await putNativeRole(api, 'chain_t_role', ['manage_token'], { run_as: ['elastic'] });
    await putNativeUser(api, { ...W, roles: ['chain_w_role'] });
    await putNativeUser(api, { username: T, password: 'chain-t-password', roles: ['chain_t_role'] });
  });

  const tokenOfWAsT = async () => {
    const issued = await call(api, 'POST', '/_security/oauth2/token', {
      auth: W,
      headers: runAs(T),
      body: { grant_type: 'client_credentials' },
    });
    expect(issued.status).toBe(200);
    return issued.body.access_token as string;
  };

  it('a token W minted as T, sent with a run-as header for elastic, runs as T and is refused (403), as W is directly', async () => {
    const bearer = { bearer: await tokenOfWAsT() };
    const chained = await call(api, 'GET', '/_security/user', { auth: bearer, headers: runAs('elastic') });
    expect(chained.status).toBe(403);
    expect(chained.body.error.reason).toBe(
      `action [cluster:admin/xpack/security/user/get] is unauthorized for user [chain_w] run as [${T}] with effective roles ` +
        '[chain_t_role], this action is granted by the cluster privileges [manage_security,all]',
    );
    const direct = await call(api, 'GET', '/_security/user', { auth: W, headers: runAs('elastic') });
    expect(direct.status).toBe(403);
  });

  it("AU-1: authenticate with that token and the header shows T, authenticated by W's realm, looked up in T's, by token", async () => {
    const me = await call(api, 'GET', '/_security/_authenticate', {
      auth: { bearer: await tokenOfWAsT() },
      headers: runAs('elastic'),
    });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      username: T,
      roles: ['chain_t_role'],
      full_name: null,
      email: null,
      metadata: {},
      enabled: true,
      authentication_realm: { name: 'default_native', type: 'native' },
      lookup_realm: { name: 'default_native', type: 'native' },
      authentication_type: 'token',
    });
  });

  it("the token's run-as is authorized on every use: W losing run_as for T loses the token too (runAsDenied)", async () => {
    const bearer = { bearer: await tokenOfWAsT() };
    expect((await call(api, 'GET', '/_security/_authenticate', { auth: bearer })).status).toBe(200);
    await call(api, 'PUT', '/_security/role/chain_w_role', { auth: USERS.elastic, body: { cluster: [], run_as: [] } });
    try {
      const refused = await call(api, 'GET', '/_security/_authenticate', { auth: bearer });
      expect(refused.status).toBe(403);
      expect(refused.body.error.reason).toBe(
        'action [cluster:admin/xpack/security/user/authenticate] is unauthorized for user [chain_w] with effective roles ' +
          `[chain_w_role], because user [chain_w] is unauthorized to run as [${T}]`,
      );
    } finally {
      await call(api, 'PUT', '/_security/role/chain_w_role', { auth: USERS.elastic, body: { cluster: [], run_as: [T] } });
    }
  });
});

describe("roles.yml's run_as is enforced as the native roles' is", () => {
  const FILE_RUNNER = { username: 'file_runner', password: 'file-runner-password' };
  const NATIVE_HOLDER = { username: 'file_role_holder', password: 'file-role-holder-password' };
  let fileApi: TestApi;

  beforeAll(async () => {
    // The test file realm, plus a roles.yml role granting run_as (a wildcard and a regular expression), held by a
    // file user and by a native user.
    const directory = await writeFileRealm();
    appendFileSync(join(directory, 'roles.yml'), ['file_runner:', '  run_as: [ "token_*", "/rea.+/" ]', ''].join('\n'));
    appendFileSync(join(directory, 'users'), `${FILE_RUNNER.username}:${await hashPassword(FILE_RUNNER.password, 4)}\n`);
    appendFileSync(join(directory, 'users_roles'), `file_runner:${FILE_RUNNER.username}\n`);
    fileApi = await startTestApi({ ES_PATH_CONF: directory });
    await call(fileApi, 'PUT', `/_security/user/${NATIVE_HOLDER.username}`, {
      auth: USERS.elastic,
      body: { ...NATIVE_HOLDER, roles: ['file_runner'] },
    });
  });
  afterAll(() => fileApi.close());

  it('a file user whose roles.yml role grants run_as acts as the targets its patterns match', async () => {
    for (const target of ['token_client', 'reader']) {
      const me = await call(fileApi, 'GET', '/_security/_authenticate', { auth: FILE_RUNNER, headers: runAs(target) });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({
        username: target,
        authentication_realm: { name: 'default_file', type: 'file' },
        lookup_realm: { name: 'default_file', type: 'file' },
      });
    }
  });

  it('a native user holding the roles.yml role runs as its targets too', async () => {
    const me = await call(fileApi, 'GET', '/_security/_authenticate', { auth: NATIVE_HOLDER, headers: runAs('token_client') });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'token_client', authentication_realm: { name: 'default_native' } });
  });

  it('a target no roles.yml pattern matches is 403 runAsDenied, as for a native role', async () => {
    for (const target of ['elastic', 'file_admin', 'token', 'token_ghost']) {
      const response = await call(fileApi, 'GET', '/_security/_authenticate', { auth: FILE_RUNNER, headers: runAs(target) });
      expect(response.status).toBe(403);
      expect(response.body.error.reason).toBe(
        'action [cluster:admin/xpack/security/user/authenticate] is unauthorized for user [file_runner] with effective roles ' +
          `[file_runner], because user [file_runner] is unauthorized to run as [${target}]`,
      );
    }
  });

  it('a roles.yml role without run_as grants none (token_client holds token_manager and monitoring)', async () => {
    const response = await call(fileApi, 'GET', '/_security/_authenticate', {
      auth: USERS.tokenClient,
      headers: runAs('reader'),
    });
    expect(response.status).toBe(403);
  });
});
