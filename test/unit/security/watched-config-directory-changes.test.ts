import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountChange } from '../../../functions/security/authc/account-changes';
import { hashPassword } from '../../../functions/security/authc/passwords/bcrypt';
import {
  RELOAD_INTERVAL_MS,
  WatchedConfigDirectory,
} from '../../../functions/security/config-directory/watched-config-directory';
import { FixedClock } from '../../support/clock';

let touches = 0;
function writeUsers(directory: string, lines: string[]): void {
  const path = join(directory, 'users');
  writeFileSync(path, `${lines.join('\n')}\n`);
  const when = new Date(Date.now() + ++touches * 60_000);
  utimesSync(path, when, when);
}

describe('the watched file realm tells which users changed (REVOKE_ON_ACCOUNT_CHANGE)', () => {
  it('LC-1: a changed and a removed entry are told once each, an unchanged one never; a failed telling is retried', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'es-config-changes-'));
    const [alice, bob, carol] = await Promise.all(['a', 'b', 'c'].map((p) => hashPassword(`${p}-password`, 4)));
    writeUsers(directory, [`alice:${alice}`, `bob:${bob}`, `carol:${carol}`]);
    const clock = new FixedClock();
    const told: AccountChange[] = [];
    let storageDown = true;
    const accountChanges = {
      changed: async (change: AccountChange) => {
        if (storageDown) throw new Error('storage unavailable');
        told.push(change);
      },
    };
    const warnings: string[] = [];
    const files = new WatchedConfigDirectory({ directory, clock: clock.now, warn: (m) => warnings.push(m), accountChanges });

    writeUsers(directory, [`alice:${alice}`, `bob:${await hashPassword('b-new-password', 4)}`]);
    clock.advance(RELOAD_INTERVAL_MS);
    files.current();
    await files.settled();
    expect(told).toEqual([]);
    expect(warnings).toHaveLength(2);

    storageDown = false;
    clock.advance(RELOAD_INTERVAL_MS);
    files.current();
    await files.settled();
    expect(told.map((change) => change.username).sort()).toEqual(['bob', 'carol']);
    expect(told.every((change) => change.realm === 'default_file' && change.kind === 'file-entry')).toBe(true);

    clock.advance(RELOAD_INTERVAL_MS);
    files.current();
    await files.settled();
    expect(told).toHaveLength(2);
  });
});
