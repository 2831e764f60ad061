// The service's request log is silent in tests; the secrets test turns it up and reads every line.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
