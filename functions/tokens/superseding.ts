import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { RandomBytes } from './token-string';

/**
 * RF-6: the successor of a refreshed pair, kept so that a repeat of the same refresh within 30 seconds
 * answers exactly the same tokens. It is stored sealed with AES-256-GCM under a key derived (HKDF-SHA256)
 * from the old refresh token's secret, which the table does not hold: only a holder of that refresh
 * token can read the successor back, and the stored form reveals nothing. The pair id is bound in as
 * associated data, so a sealed successor cannot be moved to another pair.
 */

export interface SuccessorTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
}

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

function keyFor(refreshSecret: Buffer, pairId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', refreshSecret, Buffer.from(pairId, 'utf8'), 'superseding-pair', 32));
}

export function sealSuccessor(
  successor: SuccessorTokens,
  refreshSecret: Buffer,
  pairId: string,
  random: RandomBytes = randomBytes,
): string {
  const nonce = random(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyFor(refreshSecret, pairId), nonce);
  cipher.setAAD(Buffer.from(pairId, 'utf8'));
  const plaintext = Buffer.from(`${successor.accessToken} ${successor.refreshToken}`, 'utf8');
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), nonce, sealed, cipher.getAuthTag()]).toString('base64url');
}

/** Undefined when the secret is not the one it was sealed under, or the data was altered. */
export function openSuccessor(sealed: string, refreshSecret: Buffer, pairId: string): SuccessorTokens | undefined {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length <= 1 + NONCE_BYTES + TAG_BYTES || bytes[0] !== VERSION) return undefined;
  const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
  const ciphertext = bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(refreshSecret, pairId), nonce);
    decipher.setAAD(Buffer.from(pairId, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const [accessToken, refreshToken] = Buffer.concat([decipher.update(ciphertext), decipher.final()])
      .toString('utf8')
      .split(' ');
    return accessToken && refreshToken ? { accessToken, refreshToken } : undefined;
  } catch {
    return undefined;
  }
}
