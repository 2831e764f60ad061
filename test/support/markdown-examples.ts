import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The examples of the README and of docs/: their fenced blocks, read as a reader reads them. A block's info
 * string is its language, then at most one marker saying why it is not run against the local API.
 */
export const ROOT = join(__dirname, '..', '..');

type Language = 'sh' | 'js';

/** Why a block is not run, and what in it shows the reason is true. */
export const MARKERS = {
  'deploy-only': {
    reason: 'needs an AWS account and a deployed stack',
    shows: /\b(cdk|aws|sam|docker)\b|API_URL|--table\b|--region\b/,
  },
  'idp-only': { reason: 'needs an identity provider and a browser', shows: /oidc|saml/i },
  'starts-api': { reason: 'starts the local API that the other examples run against', shows: /\bnpm start\b/ },
  'runs-tests': { reason: 'runs the test suite, which runs these examples', shows: /\bnpm test\b/ },
} as const;
export type Marker = keyof typeof MARKERS;

const LANGUAGES: Record<string, Language> = { sh: 'sh', bash: 'sh', console: 'sh', shell: 'sh', js: 'js', javascript: 'js' };

export interface Example {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly info: string;
  readonly language: Language | undefined;
  readonly marker: string | undefined;
  readonly code: string;
  /** The JSON block right after it, when there is one: the answer its last command gives. */
  readonly answer: string | undefined;
}

interface Block {
  readonly line: number;
  readonly info: string;
  readonly code: string;
  /** Whether only blank lines separate it from the block before. */
  readonly adjacent: boolean;
}

function blocks(text: string): Block[] {
  const lines = text.split('\n');
  const found: Block[] = [];
  let lastEnd = -2;
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(.*)$/.exec(lines[i] as string);
    if (open === null) continue;
    const indent = (open[1] as string).length;
    const end = lines.findIndex((line, j) => j > i && /^\s*```\s*$/.test(line));
    if (end === -1) throw new Error(`unclosed code fence at line ${i + 1}`);
    const between = lines.slice(lastEnd + 1, i);
    found.push({
      line: i + 1,
      info: (open[2] as string).trim(),
      code: lines
        .slice(i + 1, end)
        .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
        .join('\n'),
      adjacent: lastEnd >= 0 && between.every((line) => line.trim() === ''),
    });
    lastEnd = end;
    i = end;
  }
  return found;
}

/** A console block's commands: its `$ ` lines and their continuations; the rest is their output. */
function consoleCommands(code: string): string {
  const commands: string[] = [];
  let continued = false;
  for (const line of code.split('\n')) {
    if (continued || line.startsWith('$ ')) commands.push(continued ? line : line.slice(2));
    continued = (continued || line.startsWith('$ ')) && line.endsWith('\\');
  }
  return commands.join('\n');
}

export function examplesOf(file: string, text: string): Example[] {
  const all = blocks(text);
  return all.map((block, i) => {
    const [lang = '', marker, ...rest] = block.info.split(/\s+/);
    if (rest.length > 0) throw new Error(`${file}:${block.line}: one marker at most, in [${block.info}]`);
    const next = all[i + 1];
    return {
      file,
      line: block.line,
      info: block.info,
      language: LANGUAGES[lang],
      marker,
      code: lang === 'console' ? consoleCommands(block.code) : block.code,
      answer: next?.adjacent === true && next.info === 'json' ? next.code : undefined,
    };
  });
}

function markdownUnder(directory: string): string[] {
  return readdirSync(join(ROOT, directory))
    .sort()
    .flatMap((name) => {
      const path = `${directory}/${name}`;
      if (statSync(join(ROOT, path)).isDirectory()) return path === 'docs/benchmarks' ? [] : markdownUnder(path);
      return name.endsWith('.md') ? [path] : [];
    });
}

/**
 * README.md, then every page of docs/ in name order. docs/benchmarks/ holds recorded runs of `npm run bench`,
 * not examples.
 */
export function documentationExamples(): Example[] {
  return ['README.md', ...markdownUnder('docs')].flatMap((file) => examplesOf(file, readFileSync(join(ROOT, file), 'utf8')));
}

/** The last JSON value of a command's output (curl prints its answers one after another). */
export function lastJson(output: string): unknown {
  const text = output.trimEnd();
  for (let i = text.lastIndexOf('{'); i >= 0; i = text.lastIndexOf('{', i - 1)) {
    try {
      return JSON.parse(text.slice(i));
    } catch {
      // Not where the last value starts: an inner object, or the value is cut before it.
    }
    if (i === 0) break;
  }
  return undefined;
}

/**
 * Where `actual` differs from the answer a page shows: every key shown must be there with the value shown
 * (keys not shown may be there too); a string `…` stands for any string; arrays match element by element.
 */
export function answerDifferences(shown: unknown, actual: unknown, path = '$'): string[] {
  if (shown === '…') return typeof actual === 'string' ? [] : [`${path}: a string expected, got ${JSON.stringify(actual)}`];
  if (Array.isArray(shown)) {
    if (!Array.isArray(actual) || actual.length !== shown.length) {
      return [`${path}: ${JSON.stringify(shown)} expected, got ${JSON.stringify(actual)}`];
    }
    return shown.flatMap((value, i) => answerDifferences(value, actual[i], `${path}[${i}]`));
  }
  if (shown !== null && typeof shown === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return [`${path}: an object expected, got ${JSON.stringify(actual)}`];
    }
    return Object.entries(shown).flatMap(([key, value]) =>
      key in actual
        ? answerDifferences(value, (actual as Record<string, unknown>)[key], `${path}.${key}`)
        : [`${path}.${key}: missing`],
    );
  }
  return Object.is(shown, actual) ? [] : [`${path}: ${JSON.stringify(shown)} expected, got ${JSON.stringify(actual)}`];
}
