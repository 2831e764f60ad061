import { Console } from 'node:console';
import { logger } from '../../functions/telemetry/logger';
import { auditLogFile, auditLogStream } from './secrets-audit';

/**
 * The service logs at its most verbose in every test (setup-env.ts), into this worker's audit log file
 * rather than the test output: the secrets audit searches every line after the run. Powertools' Logger
 * has no option for its destination, so its console is replaced; like Powertools' own, `trace` prints no
 * stack.
 */
const file = auditLogFile();
if (file !== undefined) {
  const stream = auditLogStream(file);
  const sink = new Console({ stdout: stream, stderr: stream });
  sink.trace = sink.log;
  (logger as unknown as { console: Console }).console = sink;
}
