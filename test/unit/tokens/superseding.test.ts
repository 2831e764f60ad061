import { openSuccessor, sealSuccessor } from '../../../functions/tokens/superseding';
import { encodeToken, newPairId, newSecret } from '../../../functions/tokens/token-string';

describe('RF-6: the sealed successor', () => {
  const pairId = newPairId();
  const refreshSecret = newSecret();
  const successorId = newPairId();
  const successor = {
    accessToken: encodeToken('access', successorId, newSecret()),
    refreshToken: encodeToken('refresh', successorId, newSecret()),
  };

  it('opens with the refresh secret it was sealed under', () => {
    expect(openSuccessor(sealSuccessor(successor, refreshSecret, pairId), refreshSecret, pairId)).toEqual(successor);
  });

  it('does not reveal the successor tokens or their secrets in its stored form', () => {
    const sealed = sealSuccessor(successor, refreshSecret, pairId);
    const decoded = Buffer.from(sealed, 'base64url').toString('latin1');
    for (const token of [successor.accessToken, successor.refreshToken]) {
      expect(sealed).not.toContain(token);
      expect(decoded).not.toContain(token);
    }
  });

  it('cannot be opened with another secret, for another pair, or once altered', () => {
    const sealed = sealSuccessor(successor, refreshSecret, pairId);
    expect(openSuccessor(sealed, newSecret(), pairId)).toBeUndefined();
    expect(openSuccessor(sealed, refreshSecret, newPairId())).toBeUndefined();
    const altered = Buffer.from(sealed, 'base64url');
    altered[20] = (altered[20] as number) ^ 1;
    expect(openSuccessor(altered.toString('base64url'), refreshSecret, pairId)).toBeUndefined();
    expect(openSuccessor('', refreshSecret, pairId)).toBeUndefined();
  });

  it('seals the same successor differently each time (fresh nonce)', () => {
    expect(sealSuccessor(successor, refreshSecret, pairId)).not.toBe(sealSuccessor(successor, refreshSecret, pairId));
  });
});
