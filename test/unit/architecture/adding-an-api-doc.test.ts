import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
const DOC = readFileSync(path.join(ROOT, 'docs', 'adding-an-api.md'), 'utf8');

/** The TypeScript blocks of the page, each headed by a `// <path>` comment naming the file it is quoted from. */
const QUOTES = [...DOC.matchAll(/```ts\n\/\/ (\S+)\n([\s\S]*?)```/g)].map(([, file, code]) => ({ file, code }));

describe('docs/adding-an-api.md', () => {
  it('quotes code', () => {
    expect(QUOTES.length).toBeGreaterThanOrEqual(3);
  });

  it.each(QUOTES)('quotes $file as it is', ({ file, code }) => {
    expect(readFileSync(path.join(ROOT, file as string), 'utf8')).toContain(code);
  });
});
