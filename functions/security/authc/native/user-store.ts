import type { User } from '../authentication';

/** A native user as stored: the user and the bcrypt hash of its password (never the password). */
export interface NativeUser extends User {
  readonly passwordHash: string;
}

/** The storage the native realm and the user API need; the DynamoDB adapter is store/dynamodb-user-store.ts. */
export interface UserStore {
  /** A strongly consistent read: a user deleted or disabled a moment ago must not authenticate now. */
  get(username: string): Promise<NativeUser | undefined>;
  /** Those of `usernames` that exist, without password hashes, in one consistent read a hundred names, in no particular order. */
  getMany(usernames: readonly string[]): Promise<User[]>;
  /** Every user, without password hashes; with `maxItems`, at most one more than that (a bounded Scan). */
  list(maxItems?: number): Promise<User[]>;
  /** Creates or replaces the user; true when it did not exist. */
  put(user: NativeUser): Promise<boolean>;
  /** Creates the user only if the name is free; false when it was taken. */
  create(user: NativeUser): Promise<boolean>;
  /** Replaces everything but the password of an existing user; false when there is no such user. */
  update(user: User): Promise<boolean>;
  /** False when there is no such user. */
  setPassword(username: string, passwordHash: string): Promise<boolean>;
  /** False when there is no such user. */
  setEnabled(username: string, enabled: boolean): Promise<boolean>;
  /** False when there was no such user. */
  delete(username: string): Promise<boolean>;
}
