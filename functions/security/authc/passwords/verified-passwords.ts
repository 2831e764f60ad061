import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type PasswordVerifier, verifyPassword } from './password-hashes';

/** Enough for every active user of a warm instance; the oldest entry goes first beyond it. */
const DEFAULT_MAX_ENTRIES = 1_000;

/**
 * A warm instance's memory of successful bcrypt checks, so that repeated Basic authentications and
 * password grants of a user cost one read, not one read and ~50 ms of bcrypt each (DESIGN §4).
 *
 * An entry is keyed by (username, stored hash): a password change or a re-created user has another hash,
 * so an old entry can never match again and the change takes effect on the next request. The entry holds
 * an HMAC of the password under a key that lives only in this process, never the password. Failures are
 * never remembered: a wrong password always pays bcrypt, and a later right one is checked afresh.
 */
export class VerifiedPasswordCache {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, Buffer>();

  constructor(
    private readonly verify: PasswordVerifier = verifyPassword,
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
  ) {}

  async matches(username: string, password: string, storedHash: string): Promise<boolean> {
    const entry = JSON.stringify([username, storedHash]);
    const presented = createHmac('sha256', this.key).update(password, 'utf8').digest();
    const remembered = this.entries.get(entry);
    if (remembered !== undefined && timingSafeEqual(remembered, presented)) return true;
    if (!(await this.verify(password, storedHash))) return false;
    this.remember(username, password, storedHash);
    return true;
  }

  /** Remembers a success that the caller established itself (the reserved realm's first check, see there). */
  remember(username: string, password: string, storedHash: string): void {
    const entry = JSON.stringify([username, storedHash]);
    this.entries.delete(entry);
    this.entries.set(entry, createHmac('sha256', this.key).update(password, 'utf8').digest());
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}
