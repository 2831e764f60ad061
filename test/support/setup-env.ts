// Before the service's logger exists (audit-log.ts loads it): its level from the environment is also the
// level Powertools restores on every warm invocation, so DEBUG must be the initial level, not a later setting.
process.env.POWERTOOLS_LOG_LEVEL = process.env.TEST_AUDIT_DIR === undefined ? 'SILENT' : 'DEBUG';
