import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../clock';
import { type AccountChanges, UNWATCHED_ACCOUNTS } from '../authc/account-changes';
import { FILE_REALM } from '../authc/file/file-realm';
import type { ConfigDirectory, ConfigDirectorySource } from './config-directory';
import { loadConfigDirectory } from './config-directory-files';

/** The files of ES_PATH_CONF that the file realm reads. */
const CONFIG_DIRECTORY_FILES = ['users', 'users_roles', 'roles.yml'] as const;

/**
 * Elasticsearch's `resource.reload.interval.high`: how often its ResourceWatcherService looks at the file
 * realm's files. A request later than that after a change sees the new users and roles.
 */
export const RELOAD_INTERVAL_MS = 5_000;

export interface WatchedConfigDirectoryOptions {
  readonly directory: string;
  readonly clock: Clock;
  /** Said once for each entry skipped, at the first read and at every re-read (as Elasticsearch logs them). */
  readonly warn: (message: string) => void;
  readonly intervalMs?: number;
  /** LC-1: told of each user whose entry a re-read found changed or gone; by default nobody. */
  readonly accountChanges?: AccountChanges;
}

/**
 * The config directory as it is now: re-read when one of its files changed (modification time or size),
 * looked at no more often than the reload interval and only when a request asks, so an idle process does
 * nothing. A re-read that fails (the directory was removed) keeps what was read before, as Elasticsearch
 * keeps its last good users when a reload fails. Deployed, the files sit in a read-only layer and never
 * change; the look costs three `stat` calls every five seconds.
 */
export class WatchedConfigDirectory implements ConfigDirectorySource {
  private loaded: ConfigDirectory;
  private stamp: string;
  private lookedAt: number;
  private revoking: Promise<void> = Promise.resolve();
  /** LC-1: users whose change could not be told (a storage fault), told again at the next look. */
  private readonly untold = new Set<string>();

  constructor(private readonly options: WatchedConfigDirectoryOptions) {
    this.stamp = this.currentStamp();
    this.loaded = this.load();
    this.lookedAt = options.clock();
  }

  current(): ConfigDirectory {
    const now = this.options.clock();
    if (now - this.lookedAt < (this.options.intervalMs ?? RELOAD_INTERVAL_MS)) return this.loaded;
    this.lookedAt = now;
    const stamp = this.currentStamp();
    if (stamp === this.stamp) {
      if (this.untold.size > 0) this.revoking = this.tell([]);
      return this.loaded;
    }
    try {
      const previous = this.loaded;
      this.loaded = this.load();
      this.stamp = stamp;
      this.revoking = this.tell(previous.realm.changedIn(this.loaded.realm));
    } catch {
      this.options.warn(`ES_PATH_CONF: [${this.options.directory}] could not be re-read; the users and roles read before stay`);
    }
    return this.loaded;
  }

  settled(): Promise<void> {
    return this.revoking;
  }

  /**
   * LC-1: tells of each user whose entry changed or left, and of those not told before. One that fails (the
   * users read stay the new ones) is warned of and told again at the next look, until it holds.
   */
  private async tell(changed: readonly string[]): Promise<void> {
    const changes = this.options.accountChanges ?? UNWATCHED_ACCOUNTS;
    const usernames = new Set([...this.untold, ...changed]);
    this.untold.clear();
    const told = [...usernames].map((username) =>
      changes.changed({ realm: FILE_REALM.name, username, kind: 'file-entry' }).catch(() => {
        this.untold.add(username);
        this.options.warn('ES_PATH_CONF: the tokens of a changed file realm user could not be revoked yet; tried again in 5s');
      }),
    );
    await Promise.all(told);
  }

  private load(): ConfigDirectory {
    const directory = loadConfigDirectory(this.options.directory);
    for (const warning of directory.warnings) this.options.warn(warning);
    return directory;
  }

  private currentStamp(): string {
    return CONFIG_DIRECTORY_FILES.map((name) => {
      const stats = statSync(join(this.options.directory, name), { throwIfNoEntry: false });
      return stats === undefined ? '-' : `${stats.mtimeMs}:${stats.size}`;
    }).join('|');
  }
}
