import { appendFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../../functions/security/authc/passwords/bcrypt';
import { RELOAD_INTERVAL_MS, WatchedConfigDirectory } from '../../functions/security/config-directory/watched-config-directory';
import { FixedClock } from '../support/clock';
import { recordSecret } from '../support/secrets-audit';
import { call, startTestApi, type TestApi } from '../support/test-api';

/**
 * The file realm's files are re-read when they change, as Elasticsearch's FileUserPasswdStore,
 * FileUserRolesStore and FileRolesStore re-read them (ResourceWatcherService, `resource.reload.interval.high`, 5 s).
 */
let api: TestApi;
let directory: string;
const late = { username: 'late_user', password: 'late-user-password' };
recordSecret('password', late.password);
recordSecret('password', 'someone-password');

beforeAll(async () => {
  api = await startTestApi();
  directory = api.service.config.fileRealmPath as string;
});
afterAll(() => api.close());

let touches = 0;
/** Writes a file of the realm with a modification time of its own, as an editor saving it would. */
function change(name: string, write: (path: string) => void): void {
  const path = join(directory, name);
  write(path);
  const when = new Date(Date.now() + ++touches * 60_000);
  utimesSync(path, when, when);
}

const authenticate = () => call(api, 'GET', '/_security/_authenticate', { auth: late });
const getToken = () => call(api, 'POST', '/_security/oauth2/token', { auth: late, body: { grant_type: 'client_credentials' } });

describe('the local file realm follows its files (Elasticsearch re-reads users, users_roles and roles.yml)', () => {
  it('a user added to users and users_roles authenticates once the reload interval has passed, not before', async () => {
    // Prepare
    const hash = await hashPassword(late.password, 4);
    change('users', (path) => appendFileSync(path, `${late.username}:${hash}\n`));
    change('users_roles', (path) => appendFileSync(path, `token_manager:${late.username}\n`));

    // Act, Assess: within the interval the files are not looked at; after it, the new user is there.
    expect((await authenticate()).status).toBe(401);
    api.clock.advance(RELOAD_INTERVAL_MS);
    const after = await authenticate();
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ username: late.username, roles: ['token_manager'] });
    expect(after.body.authentication_realm).toEqual({ name: 'default_file', type: 'file' });
    expect((await getToken()).status).toBe(200);
  });

  it('a role changed in roles.yml grants what it now says, and a user removed from users stops authenticating', async () => {
    // Act: token_manager loses manage_token.
    change('roles.yml', (path) => writeFileSync(path, 'token_manager:\n  cluster: [monitor]\n'));
    api.clock.advance(RELOAD_INTERVAL_MS);

    // Assess
    expect((await getToken()).status).toBe(403);

    // Act: the user's line goes.
    change('users', (path) => writeFileSync(path, ''));
    api.clock.advance(RELOAD_INTERVAL_MS);

    // Assess
    expect((await authenticate()).status).toBe(401);
  });
});

describe('a re-read that fails keeps the users read before', () => {
  it('a directory removed after start keeps the last good files, with a warning', async () => {
    // Prepare
    const watched = mkdtempSync(join(tmpdir(), 'es-config-'));
    writeFileSync(join(watched, 'users'), `someone:${await hashPassword('someone-password', 4)}\n`);
    const clock = new FixedClock();
    const warnings: string[] = [];
    const files = new WatchedConfigDirectory({ directory: watched, clock: clock.now, warn: (m) => warnings.push(m) });

    // Act
    rmSync(watched, { recursive: true });
    clock.advance(RELOAD_INTERVAL_MS);
    const current = files.current();

    // Assess: still the realm of the first read; said once, naming the directory.
    expect(current.realm.has('someone')).toBe(true);
    expect(warnings).toEqual([`ES_PATH_CONF: [${watched}] could not be re-read; the users and roles read before stay`]);
  });
});
