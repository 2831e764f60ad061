import { matchRoute } from '../../infra/routes';
import { USERS } from '../support/file-realm';
import { captureLog } from '../support/log-capture';
import { call, startTestApi, type TestApi } from '../support/test-api';

/**
 * The local API runs every function's handler in one process, many at a time. Each request's log lines must
 * name its own function and Lambda request id, as they would in Lambda, where each function logs alone;
 * one shared logger let concurrent requests overwrite each other's context.
 */
describe('the local request log under concurrent requests', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('names, on every request line, the function that served that request', async () => {
    // Prepare: four functions, interleaved, several rounds at once.
    const requests: [string, string, unknown?][] = [
      ['GET', '/_security/_authenticate'],
      ['GET', '/_security/user'],
      ['GET', '/_security/role'],
      ['POST', '/_security/oauth2/token', { grant_type: 'client_credentials' }],
    ];
    const rounds = 25;
    const log = captureLog();

    // Act
    const answers = await Promise.all(
      Array.from({ length: rounds }, () => requests)
        .flat()
        .map(([method, path, body]) => call(api, method, path, { auth: USERS.elastic, body })),
    );

    // Assess
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const lines = log
      .lines()
      .split('\n')
      .filter((line) => line.includes('"message":"request"'))
      .map((line) => JSON.parse(line) as { method: string; path: string; function_name: string; function_request_id: string });
    expect(lines).toHaveLength(rounds * requests.length);
    for (const line of lines) {
      const match = matchRoute(line.method, line.path);
      const expected = match !== undefined && 'route' in match ? match.route.function : undefined;
      expect({ path: line.path, function: line.function_name }).toEqual({ path: line.path, function: expected });
    }
    expect(new Set(lines.map((line) => line.function_request_id)).size).toBe(lines.length);
  });
});
