import type { RealmRef, User } from './authentication';
import type { Realm, RealmResult } from './realm';

/**
 * A realm that can only be built after an asynchronous read, such as the reserved realm whose `elastic`
 * password lives in Secrets Manager. The read happens at the first authentication that reaches the realm,
 * not at import time, and its result is kept for the life of the process: once per Lambda cold start.
 * A failed read is not kept, so the next request tries again instead of failing until the next cold start.
 */
export class DeferredRealm implements Realm {
  private realm: Promise<Realm> | undefined;

  constructor(
    readonly ref: RealmRef,
    private readonly build: () => Promise<Realm>,
  ) {}

  async authenticate(username: string, password: string): Promise<RealmResult> {
    return (await this.built()).authenticate(username, password);
  }

  async lookup(username: string): Promise<User | undefined> {
    return (await this.built()).lookup(username);
  }

  private built(): Promise<Realm> {
    this.realm ??= this.build().catch((error: unknown) => {
      this.realm = undefined;
      throw error;
    });
    return this.realm;
  }
}
