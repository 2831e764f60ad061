import type { App } from 'aws-cdk-lib';
import { ConfigurationError, readValue, type ValueOf } from '../functions/setting-types';
import { SETTINGS, type SettingId } from '../functions/settings';

type ContextId = { [K in SettingId]: (typeof SETTINGS)[K] extends { readonly context: string } ? K : never }[SettingId];

/** The value of every setting with a context key, by setting id (unset: its default, or none). */
export type ContextSettings = { readonly [K in ContextId]: ValueOf<(typeof SETTINGS)[K]> };

/** A context value as the CLI gives it (`-c name=value`, always a string) or cdk.json does (any JSON). */
function contextText(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null) return undefined;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * A key that is one of ours but for its case (`-c tokentimeout=30m`) would be ignored without a word, and the
 * deployment would run with the default: refuse it, naming the key as it was typed.
 */
function refuseMistypedKeys(app: App, keys: readonly string[]): void {
  const byLowerCase = new Map(keys.map((key) => [key.toLowerCase(), key]));
  const given = Object.keys({ ...app.node.getAllContext() });
  for (const key of given) {
    const meant = byLowerCase.get(key.toLowerCase());
    if (meant !== undefined && meant !== key) {
      throw new ConfigurationError(`context ${key}: no such setting; context keys are case-sensitive: did you mean ${meant}?`);
    }
  }
}

/**
 * The deployment's settings from CDK context, checked against the table: a refused value is one line naming
 * the key as it was typed, the value, and what the key allows (`context tokenTimeout: [2h] must be a time value
 * from 1s to 1h`), never the environment variable it becomes nor a stack trace (infra/app.ts prints it).
 */
export function readContextSettings(app: App): ContextSettings {
  const entries = (Object.entries(SETTINGS) as [SettingId, (typeof SETTINGS)[SettingId]][]).filter(
    (entry): entry is [ContextId, (typeof SETTINGS)[ContextId]] => 'context' in entry[1],
  );
  refuseMistypedKeys(
    app,
    entries.map(([, setting]) => setting.context),
  );
  return Object.fromEntries(
    entries.map(([id, setting]) => {
      const raw = contextText(app, setting.context);
      try {
        return [id, readValue(setting, raw, `context ${setting.context}`)];
      } catch (error) {
        if (!(error instanceof ConfigurationError)) throw error;
        throw new ConfigurationError(`context ${setting.context}: [${raw}] must be ${setting.type.allowed}`);
      }
    }),
  ) as ContextSettings;
}
