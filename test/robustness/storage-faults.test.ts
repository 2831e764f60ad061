import { decodeToken } from '../../functions/tokens/token-string';
import { scanAll, testClients } from '../support/dynamodb';
import { type FaultPlan, randomFaults, withFaults } from '../support/faults';
import { USERS } from '../support/file-realm';
import { STACK_TRACE } from '../support/fuzz';
import { putNativeUser } from '../support/native-users';
import { type Credentials, call, type HttpResult, passwordGrant, startTestApi, type TestApi } from '../support/test-api';

/**
 * Storage faults under the HTTP API: DynamoDB Local behind a client that throttles, errors, times out
 * before the request arrives, loses the reply of a request it applied, or applies a request twice (the
 * SDK's retry after a lost reply). Whatever the faults, get token, refresh and invalidate answer a success
 * or ER-11's 503/500 error, never leave a half-made pair, never issue twice, and the counts add up.
 *
 * The fault sequence is seeded: FAULT_SEED replays a failure, FAULT_REQUESTS lengthens the run.
 */
const SEED = Number(process.env.FAULT_SEED ?? 20_261_122);
const REQUESTS = Number(process.env.FAULT_REQUESTS ?? 60);
/** Like the ES clients' retries on 503, bounded. */
const CLIENT_ATTEMPTS = 8;
const SECRETS = Object.values(USERS).map((user) => user.password);

const { documents } = testClients();
let api: TestApi;
let faults: FaultPlan;

async function startWithFaults(options: Omit<Parameters<typeof randomFaults>[0], 'seed'>, seedOffset: number) {
  faults = randomFaults({ ...options, seed: SEED + seedOffset });
  faults.enabled = false;
  api = await startTestApi({}, { documents: (healthy) => withFaults(healthy, faults.fault) });
}
afterEach(() => api.close());

/** ER-11: a storage failure is a 503 (or 500) in the ES error shape, with nothing secret in it. */
function expectStorageFailure(result: HttpResult): void {
  const context = `${result.status} ${result.text}`;
  expect([500, 503]).toContain(result.status);
  expect(result.body).toEqual({
    error: { type: expect.any(String), reason: expect.any(String), root_cause: expect.any(Array) },
    status: result.status,
  });
  expect(result.text).not.toMatch(STACK_TRACE);
  for (const secret of SECRETS) expect(result.text.includes(secret) ? context : 'no secret').toBe('no secret');
}

const pairIdOf = (token: string) => decodeToken(token)?.pairId as string;
const items = () => scanAll(documents, api.tokensTable);

/** In batches, so that faulted and healthy calls interleave as they do under load. */
async function inBatches<T, R>(inputs: readonly T[], size: number, run: (input: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < inputs.length; i += size) results.push(...(await Promise.all(inputs.slice(i, i + size).map(run))));
  return results;
}

const getToken = (body: Record<string, string>, caller: Credentials = USERS.elastic) =>
  call(api, 'POST', '/_security/oauth2/token', { auth: caller, body });
const invalidate = (body: Record<string, string>) =>
  call(api, 'DELETE', '/_security/oauth2/token', { auth: USERS.elastic, body });
const authenticates = async (accessToken: string) =>
  (await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: accessToken } })).status === 200;

/** Retries 503s and 500s as a client does; every answer on the way is kept. */
async function withClientRetries(send: () => Promise<HttpResult>): Promise<HttpResult[]> {
  const answers: HttpResult[] = [];
  for (let attempt = 0; attempt < CLIENT_ATTEMPTS; attempt++) {
    const answer = await send();
    answers.push(answer);
    if (answer.status < 500) break;
  }
  return answers;
}

describe('storage faults (DynamoDB Local behind an injecting client)', () => {
  it('GT-7, GT-8, ER-11: get token answers a stored pair or a 503; every pair is whole and issued at most once', async () => {
    await startWithFaults({ rate: 0.35 }, 1);
    // One healthy pair of each grant: the attribute sets every stored pair must have.
    await passwordGrant(api, USERS.reader);
    await getToken({ grant_type: 'client_credentials' }, USERS.tokenClient);
    const reference = new Map((await items()).map((item) => [item.refreshHash === undefined, Object.keys(item).sort()]));

    faults.enabled = true;
    const grants = Array.from({ length: REQUESTS }, (_, i) => i % 2 === 0);
    const answers = await inBatches(grants, 8, (password) =>
      password
        ? getToken({ grant_type: 'password', username: USERS.reader.username, password: USERS.reader.password })
        : getToken({ grant_type: 'client_credentials' }, USERS.tokenClient),
    );
    faults.enabled = false;

    const issued = answers.filter((a) => a.status === 200);
    for (const failure of answers.filter((a) => a.status !== 200)) expectStorageFailure(failure);
    // The run proves something only if both outcomes happened.
    expect(issued.length).toBeGreaterThan(0);
    expect(issued.length).toBeLessThan(answers.length);

    const stored = await items();
    for (const item of stored) expect(Object.keys(item).sort()).toEqual(reference.get(item.refreshHash === undefined));
    // Every answered pair is stored; the only unanswered ones are writes whose reply was lost.
    const storedIds = new Set(stored.map((item) => item.id));
    for (const answer of issued) expect(storedIds.has(pairIdOf(answer.body.access_token))).toBe(true);
    expect(stored.length).toBe(2 + issued.length + faults.count('PutCommand', ['lostReply']));

    for (const answer of issued) {
      expect(await authenticates(answer.body.access_token)).toBe(true);
      if (answer.body.refresh_token === undefined) continue;
      const refreshed = await getToken({ grant_type: 'refresh_token', refresh_token: answer.body.refresh_token });
      expect(refreshed.status).toBe(200);
    }
  });

  it('RF-6, RF-8, ER-11: a refresh retried through faults yields one successor, the same one in every answer', async () => {
    await startWithFaults({ rate: 0.35 }, 2);
    const pairs = await inBatches(Array.from({ length: REQUESTS / 2 }), 8, () => passwordGrant(api, USERS.reader));

    faults.enabled = true;
    const refresh = (refreshToken: string) => getToken({ grant_type: 'refresh_token', refresh_token: refreshToken });
    const attempts = await inBatches(pairs, 8, (pair) => withClientRetries(() => refresh(pair.refresh_token)));
    faults.enabled = false;

    let answered = 0;
    for (const [i, answers] of attempts.entries()) {
      for (const failure of answers.filter((a) => a.status !== 200)) expectStorageFailure(failure);
      const successes = answers.filter((a) => a.status === 200);
      // A healthy repeat within the window answers the pair that was stored, if any was.
      const after = await refresh((pairs[i] as { refresh_token: string }).refresh_token);
      expect(after.status).toBe(200);
      for (const success of successes) {
        answered++;
        expect(success.body.access_token).toBe(after.body.access_token);
        expect(success.body.refresh_token).toBe(after.body.refresh_token);
      }
      expect(await authenticates(after.body.access_token)).toBe(true);
    }
    expect(answered).toBeGreaterThan(0);
    expect(faults.count('TransactWriteCommand') + faults.count('GetCommand')).toBeGreaterThan(0);

    // One successor per refreshed pair: no answer was issued twice, and no transaction was half applied.
    const stored = await items();
    const refreshed = stored.filter((item) => item.refreshedAt !== undefined);
    expect(refreshed.length).toBe(pairs.length);
    expect(stored.length).toBe(2 * pairs.length);
  });

  it('IV-4, IV-5, ER-11: invalidating one token through faults counts it once, and first time as invalidated', async () => {
    await startWithFaults({ rate: 0.35 }, 3);
    const pairs = await inBatches(Array.from({ length: REQUESTS / 2 }), 8, () => passwordGrant(api, USERS.reader));
    const requests = pairs.flatMap((pair): Record<string, string>[] => [
      { token: pair.access_token },
      { refresh_token: pair.refresh_token },
    ]);

    faults.enabled = true;
    const attempts = await inBatches(requests, 8, (body) => withClientRetries(() => invalidate(body)));
    faults.enabled = false;

    for (const answers of attempts) {
      for (const failure of answers.filter((a) => a.status !== 200)) expectStorageFailure(failure);
      const successes = answers.filter((a) => a.status === 200);
      for (const success of successes) {
        expect(success.body.invalidated_tokens + success.body.previously_invalidated_tokens).toBe(1);
        expect(success.body.error_count).toBe(0);
      }
      // Counted as invalidated at most once, and certainly when the first attempt succeeded: it was live.
      expect(successes.reduce((sum, s) => sum + s.body.invalidated_tokens, 0)).toBeLessThanOrEqual(1);
      if (answers[0]?.status === 200) expect(answers[0].body.invalidated_tokens).toBe(1);
    }
    expect(attempts.some((answers) => answers.length > 1)).toBe(true);

    for (const request of requests) {
      const again = await invalidate(request);
      // Every half whose invalidation was applied is dead; a half left live by failures is invalidated now.
      expect(again.status).toBe(200);
      expect(again.body.invalidated_tokens + again.body.previously_invalidated_tokens).toBe(1);
      expect(again.body.error_count).toBe(0);
    }
    for (const pair of pairs) {
      expect(await authenticates(pair.access_token)).toBe(false);
      expect((await getToken({ grant_type: 'refresh_token', refresh_token: pair.refresh_token })).status).toBe(400);
    }
  });

  it('AU-1, ER-11: authentication through faults answers the live token or a 503, never a 401', async () => {
    await startWithFaults({ rate: 0.35 }, 5);
    const pairs = await inBatches(Array.from({ length: REQUESTS / 2 }), 8, () => passwordGrant(api, USERS.reader));
    // A native user too: its Basic credentials are read from the users table on the way.
    await putNativeUser(api, { username: 'native_reader', password: 'native-reader-password', roles: [] });

    faults.enabled = true;
    const answers = await inBatches([...pairs.keys()], 8, async (i) => [
      await call(api, 'GET', '/_security/_authenticate', {
        auth: { bearer: (pairs[i] as { access_token: string }).access_token },
      }),
      await call(api, 'GET', '/_security/_authenticate', {
        auth: { username: 'native_reader', password: 'native-reader-password' },
      }),
    ]);
    faults.enabled = false;

    const all = answers.flat();
    for (const answer of all.filter((a) => a.status !== 200)) expectStorageFailure(answer);
    expect(all.some((a) => a.status === 200)).toBe(true);
    expect(all.some((a) => a.status !== 200)).toBe(true);
  });

  it('IV-8, IV-10, ER-11: a realm-wide invalidation through faults counts or reports every half exactly once', async () => {
    // Writes and read-backs only: a page that cannot be read is left to the continuation, tested on its own.
    await startWithFaults({ rate: 0.5, commands: ['UpdateCommand', 'GetCommand'] }, 4);
    const pairs = await inBatches(Array.from({ length: REQUESTS }), 8, () => passwordGrant(api, USERS.reader));
    const halves = 2 * pairs.length;

    faults.enabled = true;
    const first = await invalidate({ realm_name: 'default_file' });
    faults.enabled = false;

    expect(first.status).toBe(200);
    expect(first.body.previously_invalidated_tokens).toBe(0);
    const reported = first.body.error_details ?? [];
    expect(reported.length).toBe(first.body.error_count);
    for (const detail of reported) expect(detail).toMatchObject({ type: expect.any(String), reason: expect.any(String) });
    expect(faults.count('UpdateCommand')).toBeGreaterThan(0);

    // Every half was either counted or reported: none was lost between the two.
    expect(first.body.invalidated_tokens + first.body.error_count).toBe(halves);
    // A healthy second sweep finds only halves the first reported as failed (some of those were applied
    // before their reply was lost, and are found dead).
    const second = await invalidate({ realm_name: 'default_file' });
    expect(second.body).toEqual({ invalidated_tokens: expect.any(Number), previously_invalidated_tokens: 0, error_count: 0 });
    expect(second.body.invalidated_tokens).toBeLessThanOrEqual(first.body.error_count);
    for (const pair of pairs) expect(await authenticates(pair.access_token)).toBe(false);
  });
});
