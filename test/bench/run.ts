/**
 * `npm run bench` (see BENCHMARKS.md). Not a test: nothing here asserts a time.
 *
 * The service's one-line JSON request log is switched off unless POWERTOOLS_LOG_LEVEL says otherwise: it
 * would interleave with the table on stdout. It is set before the service's modules load, hence the
 * dynamic import.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

import('./main')
  .then(({ main }) => main(process.argv.slice(2)))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? `bench failed: ${error.stack ?? error.message}` : error);
    process.exitCode = 1;
  });
