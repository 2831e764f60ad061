/**
 * The README's API table, rendered from the API registry: `npm run api-table` writes it between its markers,
 * and a test (test/e2e/api-registry.test.ts) fails when the README's copy differs.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { type ApiEntry, describeRoutes } from '../functions/api/api-entry';
import { APIS } from '../functions/api/registry';

export const API_TABLE_START = '<!-- api-table:start -->';
export const API_TABLE_END = '<!-- api-table:end -->';
const README = path.join(__dirname, '..', 'README.md');

/** A code span in a table cell: GitHub's tables split a cell at any `|` not escaped, code spans too. */
const code = (text: string) => `\`${text.replaceAll('|', '\\|')}\``;

/** The actions an API is authorized for, and the cluster privileges that grant them. */
function privilegeCell({ privileges, privilegeNote }: ApiEntry): string {
  const actions = privileges.map((action) => code(action.name)).join(', ');
  const note = privilegeNote === undefined ? '' : ` (${privilegeNote})`;
  const grantedBy = privileges[0].everyUser
    ? 'every user'
    : [...new Set(privileges.flatMap((action) => action.grantedBy))].map(code).join(', ');
  return `${actions}${note}: ${grantedBy}`;
}

export function apiTable(apis: Readonly<Record<string, ApiEntry>> = APIS): string {
  const rows = Object.values(apis).map((api) => `| ${api.title} | ${code(describeRoutes(api))} | ${privilegeCell(api)} |`);
  return ['| API | Routes | Action checked: cluster privileges that grant it |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The table as the README holds it between its markers, or undefined without them. */
export function readmeApiTable(readme = readFileSync(README, 'utf8')): string | undefined {
  const start = readme.indexOf(API_TABLE_START);
  const end = readme.indexOf(API_TABLE_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + API_TABLE_START.length, end).trim();
}

function writeReadmeApiTable(): void {
  const readme = readFileSync(README, 'utf8');
  if (readmeApiTable(readme) === undefined) throw new Error(`README.md has no ${API_TABLE_START} ... ${API_TABLE_END} block`);
  const start = readme.indexOf(API_TABLE_START) + API_TABLE_START.length;
  writeFileSync(README, `${readme.slice(0, start)}\n${apiTable()}\n${readme.slice(readme.indexOf(API_TABLE_END))}`);
}

if (require.main === module) writeReadmeApiTable();
