import {
  boundedRevocationEvents,
  NO_REVOCATION_EVENTS,
  REVOCATION_EVENT_WAIT_MS,
  type Revocation,
  type RevocationEvents,
} from '../../../functions/tokens/revocation-events';

const REVOCATION: Revocation = {
  cause: 'invalidate_token',
  scope: { type: 'token', half: 'access' },
  invalidatedTokens: 1,
  previouslyInvalidatedTokens: 0,
  errorCount: 0,
  continuing: false,
  at: 0,
};

/** A wait the test ends: it records the bound asked for and whether the wait was cancelled. */
function controlledWait() {
  const asked: number[] = [];
  let cancelled = 0;
  let end: () => void = () => undefined;
  const wait = (ms: number) => {
    asked.push(ms);
    return { elapsed: new Promise<void>((resolve) => (end = resolve)), cancel: () => void cancelled++ };
  };
  return { wait, asked, end: () => end(), cancelled: () => cancelled };
}

describe('announcements bounded for the invalidation that makes them', () => {
  it('an announcement that never settles is given up at the end of the bounded wait (1 s), and the invalidation goes on', async () => {
    const never: RevocationEvents = { announce: () => new Promise(() => undefined) };
    const { wait, asked, end } = controlledWait();
    const announcing = boundedRevocationEvents(never, { wait }).announce(REVOCATION);
    end();
    await expect(announcing).resolves.toBeUndefined();
    expect(asked).toEqual([REVOCATION_EVENT_WAIT_MS]);
    expect(REVOCATION_EVENT_WAIT_MS).toBe(1_000);
  });

  it('a failed announcement resolves at once, and its wait is cancelled', async () => {
    const failing: RevocationEvents = { announce: () => Promise.reject(new Error('bus unreachable')) };
    const { wait, cancelled } = controlledWait();
    await expect(boundedRevocationEvents(failing, { wait }).announce(REVOCATION)).resolves.toBeUndefined();
    expect(cancelled()).toBe(1);
  });

  it('a made announcement is handed the revocation as it is', async () => {
    const made: Revocation[] = [];
    const recording: RevocationEvents = { announce: async (revocation) => void made.push(revocation) };
    await boundedRevocationEvents(recording, { wait: controlledWait().wait }).announce(REVOCATION);
    expect(made).toEqual([REVOCATION]);
  });

  it('no bus: nothing to bound, nothing announced', () => {
    expect(boundedRevocationEvents(NO_REVOCATION_EVENTS)).toBe(NO_REVOCATION_EVENTS);
  });
});
