import { logger } from '../../functions/http/logger';

/**
 * Turns the service's log up to DEBUG and keeps every line written to stdout and stderr, so a test can
 * search everything the service logged. `stop` restores the streams and silences the log again.
 */
export function captureLog(): { lines: () => string; stop: () => void } {
  const written: string[] = [];
  logger.setLogLevel('DEBUG');
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    }),
  );
  return {
    lines: () => written.join(''),
    stop: () => {
      for (const spy of spies) spy.mockRestore();
      logger.setLogLevel('SILENT');
    },
  };
}
