import { readFileSync, statSync } from 'node:fs';
import { auditLogFile } from './secrets-audit';

/**
 * What the service logs from now on (at DEBUG, see setup-env.ts): the part of this worker's log file
 * written after the call, so a test can search everything its own requests logged.
 */
export function captureLog(): { lines: () => string } {
  const file = auditLogFile();
  if (file === undefined) throw new Error('no audit log: run the tests through jest (globalSetup)');
  const start = sizeOf(file);
  return { lines: () => readFileSync(file).subarray(start).toString('utf8') };
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
