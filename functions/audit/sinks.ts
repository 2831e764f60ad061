import { mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AuditSink } from './audit-trail';

/**
 * Deployed, audit lines go to stdout, one JSON object a line, beside the function's request log: the stack's
 * subscription filter picks them out by their `"type":"audit"` and forwards them to the audit log group
 * (docs/operations.md, Audit log). Written straight to the stream, not through the runtime's console, which
 * would prefix each line.
 */
export const stdoutSink: AuditSink = {
  write: (line) => {
    process.stdout.write(`${line}\n`);
  },
};

/**
 * Locally, Elasticsearch's `<cluster>_audit.json`, here under the config directory's `logs/`, opened once for
 * appending. Written synchronously, one write a line: a line is in the file when its request is answered, and a
 * crash loses none.
 */
export function fileSink(path: string): AuditSink {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a');
  return { write: (line) => void writeSync(fd, `${line}\n`) };
}

export const auditLogPath = (configDirectory: string, clusterName: string) =>
  join(configDirectory, 'logs', `${clusterName}_audit.json`);
