import { SECOND } from '../support/clock';
import { FAULT_KINDS, type Fault, withFaults } from '../support/faults';
import { USERS } from '../support/file-realm';
import { call, passwordGrant, startTestApi, type TestApi } from '../support/test-api';

const TOKEN = '/_security/oauth2/token';
const PAST_THE_WINDOW = 31 * SECOND;
const REUSED = {
  error: 'invalid_grant',
  error_description: 'token has already been refreshed more than 30 seconds in the past',
};

interface Pair {
  readonly access_token: string;
  readonly refresh_token: string;
}

const refresh = (api: TestApi, refreshToken: string) =>
  call(api, 'POST', TOKEN, { auth: USERS.elastic, body: { grant_type: 'refresh_token', refresh_token: refreshToken } });

async function refreshed(api: TestApi, pair: Pair): Promise<Pair> {
  const response = await refresh(api, pair.refresh_token);
  if (response.status !== 200) throw new Error(`refresh failed: ${response.status} ${response.text}`);
  return response.body as Pair;
}

const authenticates = async (api: TestApi, pair: Pair) =>
  (await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: pair.access_token } })).status === 200;

/** A grant and the two refreshes after it, each a pair of the same family. */
async function family(api: TestApi): Promise<[Pair, Pair, Pair]> {
  const grant = await passwordGrant(api, USERS.tokenClient);
  const second = await refreshed(api, grant);
  return [grant, second, await refreshed(api, second)];
}

describe('REFRESH_REUSE_DETECTION=true', () => {
  let api: TestApi;
  /** The storage fault the next DynamoDB calls get; none by default. */
  let fault: (command: { constructor: { name: string } }) => Fault = () => undefined;
  beforeAll(async () => {
    api = await startTestApi(
      { REFRESH_REUSE_DETECTION: 'true' },
      { documents: (healthy) => withFaults(healthy, (command) => fault(command)) },
    );
  });
  afterEach(() => {
    fault = () => undefined;
  });
  afterAll(() => api.close());

  it('LC-2, RF-6: two clients racing on one refresh token inside 30 s get the same pair, and nothing is revoked', async () => {
    const grant = await passwordGrant(api, USERS.tokenClient);

    const [first, second] = await Promise.all([refresh(api, grant.refresh_token), refresh(api, grant.refresh_token)]);
    api.clock.advance(29 * SECOND);
    const repeat = await refresh(api, grant.refresh_token);

    expect([first.status, second.status, repeat.status]).toEqual([200, 200, 200]);
    expect(second.body.access_token).toBe(first.body.access_token);
    expect(repeat.body.refresh_token).toBe(first.body.refresh_token);
    expect(await authenticates(api, first.body)).toBe(true);
    expect(await authenticates(api, grant)).toBe(true);
  });

  it('LC-2: a replay after 30 s is refused as in Elasticsearch and revokes the whole family, the current pair too', async () => {
    const [grant, second, current] = await family(api);
    api.clock.advance(PAST_THE_WINDOW);

    const replay = await refresh(api, grant.refresh_token);

    expect(replay.status).toBe(400);
    expect(replay.body).toEqual(REUSED);
    for (const pair of [grant, second, current]) expect(await authenticates(api, pair)).toBe(false);
    expect((await refresh(api, current.refresh_token)).body).toEqual({
      error: 'invalid_grant',
      error_description: 'token has been invalidated',
    });
    // The user logs in again.
    expect(await authenticates(api, await passwordGrant(api, USERS.tokenClient))).toBe(true);
  });

  it('LC-2: a replay of a pair in the middle of the family revokes its ancestors and its descendants', async () => {
    const [grant, second, current] = await family(api);
    const other = await passwordGrant(api, USERS.tokenClient);
    api.clock.advance(PAST_THE_WINDOW);

    expect((await refresh(api, second.refresh_token)).body).toEqual(REUSED);

    for (const pair of [grant, second, current]) expect(await authenticates(api, pair)).toBe(false);
    expect(await authenticates(api, other)).toBe(true);
  });

  it("LC-2: a thief who refreshed first is cut off when the legitimate client's refresh comes after 30 s", async () => {
    const grant = await passwordGrant(api, USERS.tokenClient);
    const stolen = await refreshed(api, grant);
    const thiefLater = await refreshed(api, stolen);
    api.clock.advance(PAST_THE_WINDOW);

    expect((await refresh(api, grant.refresh_token)).body).toEqual(REUSED);

    expect(await authenticates(api, thiefLater)).toBe(false);
    expect((await refresh(api, thiefLater.refresh_token)).status).toBe(400);
  });

  it.each([1, 2, 3, 4, 5])(
    'LC-2: a legitimate refresh racing the revocation of its family leaves no pair of the family usable (run %i)',
    async () => {
      const grant = await passwordGrant(api, USERS.tokenClient);
      const second = await refreshed(api, grant);
      api.clock.advance(PAST_THE_WINDOW);

      // The replay of the grant's refresh token and the legitimate client's refresh of the pair it holds, at once.
      const [replay, legitimate] = await Promise.all([refresh(api, grant.refresh_token), refresh(api, second.refresh_token)]);

      expect(replay.body).toEqual(REUSED);
      // Whichever came first, whatever the legitimate refresh answered is revoked with the rest of the family.
      const answered: Pair[] = legitimate.status === 200 ? [legitimate.body] : [];
      expect(legitimate.status === 200 || legitimate.body.error === 'invalid_grant').toBe(true);
      for (const pair of [grant, second, ...answered]) expect(await authenticates(api, pair)).toBe(false);
      for (const pair of answered) expect((await refresh(api, pair.refresh_token)).status).toBe(400);
    },
  );

  it("LC-2: a lost reply of the refresh's own write never revokes the family, even answered after 30 s", async () => {
    const grant = await passwordGrant(api, USERS.tokenClient);
    fault = (command) => {
      if (command.constructor.name !== 'TransactWriteCommand') return undefined;
      fault = () => undefined;
      // DynamoDB applies the rotation; its reply is lost, and comes back as an error after the window.
      api.clock.advance(PAST_THE_WINDOW);
      return FAULT_KINDS.lostReply();
    };

    const response = await refresh(api, grant.refresh_token);

    expect(response.status).toBe(200);
    expect(await authenticates(api, response.body)).toBe(true);
    expect(await authenticates(api, grant)).toBe(true);
    expect(await authenticates(api, await refreshed(api, response.body))).toBe(true);
  });

  it.each(['lostReply', 'error', 'throttle'] as const)(
    'LC-2: a replay is refused (400, never a 5xx) when the family revocation meets a storage fault (%s)',
    async (kind) => {
      const [grant, , current] = await family(api);
      api.clock.advance(PAST_THE_WINDOW);
      fault = (command) => (command.constructor.name === 'UpdateCommand' ? FAULT_KINDS[kind]() : undefined);

      const replay = await refresh(api, grant.refresh_token);
      fault = () => undefined;

      expect(replay.status).toBe(400);
      expect(replay.body).toEqual(REUSED);
      // A write whose reply was lost was applied: the family is revoked all the same. A write that failed revoked
      // nothing; the walk went on reading, and the operator is told (RefreshFamilyRevocationsFailed).
      const revoked = kind === 'lostReply';
      for (const pair of [grant, current]) expect(await authenticates(api, pair)).toBe(!revoked);
    },
  );
});

describe('REFRESH_REUSE_DETECTION unset: Elasticsearch refuses a replay and nothing else', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('LC-2: a replay after 30 s is refused and the family lives on', async () => {
    const [grant, second, current] = await family(api);
    api.clock.advance(PAST_THE_WINDOW);

    expect((await refresh(api, grant.refresh_token)).body).toEqual(REUSED);

    for (const pair of [grant, second, current]) expect(await authenticates(api, pair)).toBe(true);
    expect(await authenticates(api, await refreshed(api, current))).toBe(true);
  });
});
