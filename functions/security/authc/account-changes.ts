/**
 * LC-1: where an account's credentials or standing change: a native user's password is changed, the user
 * disabled or deleted; a file realm user's entry changes or leaves the `users` file. Told after the change
 * holds, so that every token of the user issued up to then, even with the old password in the meantime, can
 * be refused. With REVOKE_ON_ACCOUNT_CHANGE off nothing listens (Elasticsearch keeps those tokens valid: its
 * token authenticator returns the stored user without looking it up).
 */
export type AccountChangeKind = 'password' | 'disabled' | 'deleted' | 'file-entry';

export interface AccountChange {
  /** The realm the user's tokens were issued in (`default_native`, `default_file`). */
  readonly realm: string;
  readonly username: string;
  readonly kind: AccountChangeKind;
}

export interface AccountChanges {
  /** Resolves once the user's tokens are refused; rejects (a storage error) when that could not be made to hold. */
  changed(change: AccountChange): Promise<void>;
}

/** Elasticsearch's behaviour: an account change leaves its tokens as they are. */
export const UNWATCHED_ACCOUNTS: AccountChanges = { changed: async () => undefined };
