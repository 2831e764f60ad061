import { HOUR, MINUTE } from '../support/clock';
import { scanAll, testClients } from '../support/dynamodb';
import { USERS } from '../support/file-realm';
import { call, esClient, passwordGrant, startTestApi, type TestApi } from '../support/test-api';

const DAY = 24 * HOUR;
const TOKEN = '/_security/oauth2/token';

const refresh = (api: TestApi, refreshToken: string) =>
  call(api, 'POST', TOKEN, {
    auth: USERS.elastic,
    body: { grant_type: 'refresh_token', refresh_token: refreshToken },
  });

describe('REFRESH_TOKEN_LIFETIME=7d, over HTTP with a moved clock', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ REFRESH_TOKEN_LIFETIME: '7d' });
  });
  afterAll(() => api.close());

  it('RF-1: a refresh token still refreshes on day 6', async () => {
    const pair = await passwordGrant(api, USERS.tokenClient);
    api.clock.advance(6 * DAY);
    const response = await refresh(api, pair.refresh_token);
    expect(response.status).toBe(200);
    const me = await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: response.body.access_token } });
    expect(me.status).toBe(200);
    expect(me.body.username).toBe('token_client');
  });

  it('RF-3: the same refresh token is refused on day 8 as expired', async () => {
    const pair = await passwordGrant(api, USERS.tokenClient);
    api.clock.advance(8 * DAY);
    const response = await refresh(api, pair.refresh_token);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'invalid_grant', error_description: 'token document has expired' });
  });

  it('IV-8: a realm-wide invalidation still finds and refuses a 6-day-old pair', async () => {
    const pair = await passwordGrant(api, USERS.reader);
    api.clock.advance(6 * DAY);
    const client = esClient(api, USERS.elastic);
    const answer = await client.security.invalidateToken({ realm_name: 'default_file', username: 'reader' });
    // Both halves: the refresh half is live, the access half (20 minutes) long expired but not yet flipped.
    expect(answer.invalidated_tokens).toBe(2);
    const response = await refresh(api, pair.refresh_token);
    expect(response.body).toEqual({ error: 'invalid_grant', error_description: 'token has been invalidated' });
  });

  it('RF-1: the pairs, the watermarks and the sweep records are kept by TTL for 7 days and an hour', async () => {
    const items = await scanAll(testClients().documents, api.tokensTable);
    const keptFor = (item: Record<string, unknown>, from: unknown) => (item.expiresAt as number) * 1000 - (from as number);
    const pairs = items.filter((item) => !(item.id as string).startsWith('#'));
    const watermarks = items.filter((item) => (item.id as string).startsWith('#revoked#'));
    const jobs = items.filter((item) => (item.id as string).startsWith('#sweep#'));
    expect(pairs.length).toBeGreaterThan(0);
    expect(watermarks.length).toBeGreaterThan(0);
    expect(jobs.length).toBeGreaterThan(0);
    for (const pair of pairs) expect(keptFor(pair, pair.createdAt)).toBe(7 * DAY + HOUR);
    for (const mark of watermarks) expect(keptFor(mark, mark.through)).toBe(7 * DAY + HOUR);
    for (const job of jobs) expect(keptFor(job, (job.job as { requestedAt: number }).requestedAt)).toBe(7 * DAY + HOUR);
  });

  it('GT-12: the access token keeps its own timeout, not the refresh lifetime', async () => {
    const pair = await passwordGrant(api, USERS.tokenClient);
    api.clock.advance(21 * MINUTE);
    const me = await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: pair.access_token } });
    expect(me.status).toBe(401);
  });
});

describe('REFRESH_TOKEN_LIFETIME unset: Elasticsearch 24 h', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('RF-3: a refresh token is refused a moment past 24 hours', async () => {
    const pair = await passwordGrant(api, USERS.tokenClient);
    api.clock.advance(DAY + 1);
    const response = await refresh(api, pair.refresh_token);
    expect(response.body).toEqual({ error: 'invalid_grant', error_description: 'token document has expired' });
  });
});
