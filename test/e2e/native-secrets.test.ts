import { scanAll, testClients } from '../support/dynamodb';
import { USERS } from '../support/file-realm';
import { captureLog } from '../support/log-capture';
import { call, esClient, startTestApi, type TestApi } from '../support/test-api';

/**
 * Native users' passwords are stored only as bcrypt hashes and never logged or echoed: run the user API's
 * flows with the log at its most verbose, then look for every password in the tables, the log and the answers.
 */
describe('native user passwords stay out of storage, logs and responses', () => {
  let api: TestApi;
  let log: ReturnType<typeof captureLog>;

  beforeAll(async () => {
    api = await startTestApi();
    log = captureLog();
  });
  afterAll(async () => {
    await api.close();
  });

  it('the users table holds bcrypt hashes only; no password reaches the log or an answer', async () => {
    const passwords = ['first-native-pw-111', 'second-native-pw-222', 'wrong-native-pw-333', 'sh0rt', 'broken-json-pw-444'];
    const [first, second, wrong, short, broken] = passwords as [string, string, string, string, string];
    const answers: string[] = [];
    const record = async (response: Promise<{ text: string }>) => answers.push((await response).text);

    await record(
      call(api, 'PUT', '/_security/user/secretive', { auth: USERS.elastic, body: { password: first, roles: ['superuser'] } }),
    );
    await record(call(api, 'GET', '/_security/_authenticate', { auth: { username: 'secretive', password: first } }));
    await record(call(api, 'POST', '/_security/user/secretive/_password', { auth: USERS.elastic, body: { password: second } }));
    await record(call(api, 'GET', '/_security/_authenticate', { auth: { username: 'secretive', password: wrong } }));
    await record(call(api, 'PUT', '/_security/user/shorty', { auth: USERS.elastic, body: { password: short, roles: [] } }));
    await record(call(api, 'PUT', '/_security/user/broken', { auth: USERS.elastic, rawBody: `{"password":"${broken}"` }));
    await record(
      call(api, 'POST', '/_security/oauth2/token', {
        auth: USERS.elastic,
        body: { grant_type: 'password', username: 'secretive', password: wrong },
      }),
    );
    const token = await esClient(api, USERS.elastic).security.getToken({
      grant_type: 'password',
      username: 'secretive',
      password: second,
    });
    answers.push(JSON.stringify(token));
    await record(call(api, 'GET', '/_security/user/secretive', { auth: USERS.elastic }));

    const { documents } = testClients();
    const users = await scanAll(documents, api.usersTable);
    expect(users).toHaveLength(1);
    expect(users[0]?.passwordHash).toMatch(/^\$2[aby]\$10\$/);
    const stored = JSON.stringify([users, await scanAll(documents, api.tokensTable)]);
    const logged = log.lines();
    expect(logged).toContain('"path":"/_security/user/secretive"'); // the log was captured, at DEBUG
    for (const password of passwords) {
      expect(stored).not.toContain(password);
      expect(logged).not.toContain(password);
      for (const answer of answers) expect(answer).not.toContain(password);
    }
    expect(answers.join('')).not.toMatch(/\$2[aby]\$/);
  });
});
