import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPassword } from '../../functions/security/authc/passwords/bcrypt';
import { RELOAD_INTERVAL_MS } from '../../functions/security/config-directory/watched-config-directory';
import { scanAll, testClients } from '../support/dynamodb';
import { USERS } from '../support/file-realm';
import { recordSecret } from '../support/secrets-audit';
import { type Credentials, call, esClient, passwordGrant, startTestApi, type TestApi } from '../support/test-api';

const OLD = 'account-old-password';
const NEW = 'account-new-password';
const FILE_NEW = 'reader-new-password';
for (const password of [OLD, NEW, FILE_NEW]) recordSecret('password', password);

const TOKEN = '/_security/oauth2/token';

/** What a holder of the pair can still do: authenticate with its access token, refresh with its refresh token. */
async function standing(api: TestApi, pair: { access_token: string; refresh_token: string }) {
  const me = await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: pair.access_token } });
  const refreshed = await call(api, 'POST', TOKEN, {
    auth: USERS.elastic,
    body: { grant_type: 'refresh_token', refresh_token: pair.refresh_token },
  });
  return { authenticates: me.status === 200, refreshes: refreshed.status === 200, refusal: refreshed.body };
}

const REFUSED = {
  authenticates: false,
  refreshes: false,
  refusal: { error: 'invalid_grant', error_description: 'token has been invalidated' },
};

async function nativeUser(api: TestApi, username: string): Promise<Credentials> {
  await esClient(api, USERS.elastic).security.putUser({ username, password: OLD, roles: ['monitoring'] });
  return { username, password: OLD };
}

/** The file realm's `users` entry of `reader` gets a new password, with a modification time of its own. */
async function changeReaderInUsersFile(api: TestApi): Promise<void> {
  const path = join(api.service.config.fileRealmPath as string, 'users');
  const others = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith(`${USERS.reader.username}:`));
  const lines = [...others, `${USERS.reader.username}:${await hashPassword(FILE_NEW, 4)}`];
  writeFileSync(path, `${lines.join('\n')}\n`);
  const when = new Date(Date.now() + 60_000);
  utimesSync(path, when, when);
  api.clock.advance(RELOAD_INTERVAL_MS);
  // A file realm login is the request that re-reads the files; it answers once the changes are dealt with.
  expect((await call(api, 'GET', '/_security/_authenticate', { auth: USERS.admin })).status).toBe(200);
  afterTheChange(api);
}

/**
 * The test's clock stands still; a watermark covers its own millisecond (a login in the very millisecond of the
 * change is refused too, the safe side), so the logins after the change happen a millisecond later.
 */
function afterTheChange(api: TestApi): void {
  api.clock.advance(1);
}

describe('REVOKE_ON_ACCOUNT_CHANGE=true', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ REVOKE_ON_ACCOUNT_CHANGE: 'true' });
  });
  afterAll(() => api.close());

  it('LC-1: a password change refuses the old tokens, answers as before, and the new password logs in', async () => {
    const user = await nativeUser(api, 'changes_password');
    const before = await passwordGrant(api, user);
    const other = await passwordGrant(api, await nativeUser(api, 'bystander'));

    const answer = await esClient(api, USERS.elastic).security.changePassword({ username: user.username, password: NEW });
    afterTheChange(api);

    expect(answer).toEqual({});
    expect(await standing(api, before)).toEqual(REFUSED);
    const after = await passwordGrant(api, { username: user.username, password: NEW });
    expect((await standing(api, after)).authenticates).toBe(true);
    expect((await standing(api, other)).authenticates).toBe(true);
  });

  it('LC-1: disabling a user refuses its tokens; enabled again, it logs in anew', async () => {
    const user = await nativeUser(api, 'gets_disabled');
    const before = await passwordGrant(api, user);
    const client = esClient(api, USERS.elastic);

    expect(await client.security.disableUser({ username: user.username })).toEqual({});
    expect(await standing(api, before)).toEqual(REFUSED);
    await client.security.enableUser({ username: user.username });
    afterTheChange(api);
    expect((await standing(api, await passwordGrant(api, user))).authenticates).toBe(true);
  });

  it('LC-1: deleting a user refuses its tokens; a user created again under the name logs in anew', async () => {
    const user = await nativeUser(api, 'gets_deleted');
    const before = await passwordGrant(api, user);

    expect(await esClient(api, USERS.elastic).security.deleteUser({ username: user.username })).toEqual({ found: true });
    expect(await standing(api, before)).toEqual(REFUSED);
    afterTheChange(api);
    const again = await nativeUser(api, 'gets_deleted');
    expect((await standing(api, await passwordGrant(api, again))).authenticates).toBe(true);
  });

  it('LC-1: a user replaced by PUT with a password has a new password: its old tokens are refused', async () => {
    const user = await nativeUser(api, 'gets_replaced');
    const before = await passwordGrant(api, user);
    const answer = await esClient(api, USERS.elastic).security.putUser({ username: user.username, password: NEW, roles: [] });
    expect(answer).toEqual({ created: false });
    expect(await standing(api, before)).toEqual(REFUSED);
  });

  it('LC-1: an update without a password that keeps the user enabled leaves its tokens valid', async () => {
    const user = await nativeUser(api, 'gets_new_roles');
    const before = await passwordGrant(api, user);
    await esClient(api, USERS.elastic).security.putUser({ username: user.username, roles: ['token_manager'] });
    expect((await standing(api, before)).authenticates).toBe(true);
  });

  it("LC-1: the change is one watermark write, the user's in its realm, whatever the number of its tokens", async () => {
    const user = await nativeUser(api, 'many_tokens');
    const pairs = await Promise.all(Array.from({ length: 12 }, () => passwordGrant(api, user)));
    const { documents } = testClients();
    const watermarks = async () =>
      (await scanAll(documents, api.tokensTable)).filter((item) => (item.id as string).startsWith('#revoked#')).length;
    const before = await watermarks();

    await esClient(api, USERS.elastic).security.changePassword({ username: user.username, password: NEW });

    expect(await watermarks()).toBe(before + 1);
    for (const pair of pairs) expect((await standing(api, pair)).authenticates).toBe(false);
  });

  it("LC-1: a file realm user's entry changed in the users file refuses its tokens; the new password logs in", async () => {
    const before = await passwordGrant(api, USERS.reader);
    const bystander = await passwordGrant(api, USERS.tokenClient);

    await changeReaderInUsersFile(api);

    expect(await standing(api, before)).toEqual(REFUSED);
    expect((await standing(api, bystander)).authenticates).toBe(true);
    const after = await passwordGrant(api, { username: USERS.reader.username, password: FILE_NEW });
    expect((await standing(api, after)).authenticates).toBe(true);
  });
});

describe('REVOKE_ON_ACCOUNT_CHANGE unset: Elasticsearch keeps the tokens of a changed account', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('LC-1: the tokens of a user whose password changed, who was disabled, or deleted, stay valid', async () => {
    const client = esClient(api, USERS.elastic);
    const changed = await passwordGrant(api, await nativeUser(api, 'es_changes_password'));
    const disabled = await passwordGrant(api, await nativeUser(api, 'es_gets_disabled'));
    const deleted = await passwordGrant(api, await nativeUser(api, 'es_gets_deleted'));

    await client.security.changePassword({ username: 'es_changes_password', password: NEW });
    await client.security.disableUser({ username: 'es_gets_disabled' });
    await client.security.deleteUser({ username: 'es_gets_deleted' });

    for (const pair of [changed, disabled, deleted]) {
      expect((await standing(api, pair)).authenticates).toBe(true);
    }
    expect((await standing(api, changed)).refreshes).toBe(true);
  });

  it("LC-1: a file realm user's changed entry leaves its tokens valid", async () => {
    const before = await passwordGrant(api, USERS.reader);
    await changeReaderInUsersFile(api);
    expect(await standing(api, before)).toMatchObject({ authenticates: true, refreshes: true });
  });
});
