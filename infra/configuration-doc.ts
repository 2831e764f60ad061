/**
 * The settings table of docs/configuration.md, rendered from the table of functions/settings.ts; a test fails
 * when the two disagree. `npx tsx infra/configuration-doc.ts` rewrites the table in the doc.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Deployed, phaseOf, type Setting } from '../functions/setting-types';
import { SETTINGS } from '../functions/settings';

export const CONFIGURATION_DOC = join(__dirname, '..', 'docs', 'configuration.md');
const TABLE_START = '<!-- settings table: generated from functions/settings.ts -->';
const TABLE_END = '<!-- end of settings table -->';

const DEPLOYED: Record<Exclude<Deployed, 'context'>, string> = {
  stack: 'by the stack',
  configDirectory: 'by the stack, with `esPathConf`',
  samLocal: 'declared empty with `samLocal`',
  lambda: 'by Lambda',
};

const code = (value: string | undefined) => (value === undefined ? '' : `\`${value}\``);
const cell = (value: string) => value.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** How a deployed function gets the variable; a deploy-time setting is not in a function. */
function deployedText(setting: Setting): string {
  if (phaseOf(setting) === 'deploy') return '-';
  if (setting.deployed === 'context') return `from \`${setting.context}\``;
  return setting.deployed === undefined ? 'not set' : DEPLOYED[setting.deployed];
}

function row(setting: Setting): string {
  const cells = [
    [setting.env, setting.envFallback]
      .filter((name) => name !== undefined)
      .map(code)
      .join(', '),
    code(setting.context),
    phaseOf(setting) === 'deploy' ? 'deploy-time' : 'runtime',
    setting.defaultText ?? (setting.default === undefined ? 'none' : code(setting.default)),
    setting.type.allowed,
    deployedText(setting),
    setting.description,
  ];
  return `| ${cells.map(cell).join(' | ')} |`;
}

/** The markdown table of every setting, in the order of the table. */
export function settingsTable(): string {
  return [
    '| Variable | Context key | Kind | Default | Allowed | In a deployed function | Meaning |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...Object.values(SETTINGS).map((setting) => row(setting as Setting)),
  ].join('\n');
}

/** The doc with its settings table (between the two markers) replaced by the rendered one. */
export function withSettingsTable(doc: string): string {
  const start = doc.indexOf(TABLE_START);
  const end = doc.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`the doc has no [${TABLE_START}] ... [${TABLE_END}] block`);
  return `${doc.slice(0, start + TABLE_START.length)}\n\n${settingsTable()}\n\n${doc.slice(end)}`;
}

if (require.main === module) {
  writeFileSync(CONFIGURATION_DOC, withSettingsTable(readFileSync(CONFIGURATION_DOC, 'utf8')));
}
