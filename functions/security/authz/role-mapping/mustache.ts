/**
 * The Mustache that Elasticsearch's role templates use (`CustomMustacheFactory` in its default JSON mode):
 * `{{name}}` (JSON-string escaped), `{{{name}}}` and `{{&name}}` (raw), sections `{{#name}}` and inverted
 * sections `{{^name}}` (lists iterate, `{{.}}` is the current item), comments `{{! }}`, and Elasticsearch's
 * functions `{{#tojson}}name{{/tojson}}`, `{{#join}}name{{/join}}` and `{{#url}}...{{/url}}`.
 * Dotted names are looked up whole first, because the role-mapping model is flat (`metadata.uid`,
 * `realm.name`), then walked through nested objects. Partials and delimiter changes are refused.
 */

export class MustacheError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MustacheError';
  }
}

type Node =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'variable'; readonly name: string; readonly escape: boolean }
  | {
      readonly type: 'section';
      readonly name: string;
      readonly inverted: boolean;
      readonly children: Node[];
      /** The section's source, for the functions that read their content as a name. */
      readonly source: string;
    };

export type Template = readonly Node[];

interface Tag {
  readonly start: number;
  readonly end: number;
  readonly sigil: string;
  readonly name: string;
}

function nextTag(source: string, from: number): Tag | undefined {
  const start = source.indexOf('{{', from);
  if (start < 0) return undefined;
  const triple = source.startsWith('{{{', start);
  const close = source.indexOf(triple ? '}}}' : '}}', start);
  if (close < 0) throw new MustacheError(`unclosed tag at position ${start}`);
  const inner = source.slice(start + (triple ? 3 : 2), close);
  const end = close + (triple ? 3 : 2);
  if (triple) return { start, end, sigil: '&', name: inner.trim() };
  const sigil = /^[#^/!&>=]/.test(inner) ? (inner[0] as string) : '';
  return { start, end, sigil, name: (sigil === '' ? inner : inner.slice(1)).trim() };
}

/** Parses a template; unbalanced sections, partials and delimiter changes are errors. */
export function compileMustache(source: string): Template {
  const root: Node[] = [];
  const open: { name: string; children: Node[]; inverted: boolean; contentStart: number }[] = [];
  let position = 0;
  const children = () => open.at(-1)?.children ?? root;
  for (let tag = nextTag(source, 0); tag !== undefined; tag = nextTag(source, position)) {
    if (tag.start > position) children().push({ type: 'text', text: source.slice(position, tag.start) });
    position = tag.end;
    if (tag.sigil === '!') continue;
    if (tag.sigil === '>' || tag.sigil === '=') throw new MustacheError(`unsupported tag [{{${tag.sigil}${tag.name}}}]`);
    if (tag.name === '') throw new MustacheError(`empty tag at position ${tag.start}`);
    if (tag.sigil === '#' || tag.sigil === '^') {
      open.push({ name: tag.name, children: [], inverted: tag.sigil === '^', contentStart: tag.end });
    } else if (tag.sigil === '/') {
      const section = open.pop();
      if (section?.name !== tag.name) throw new MustacheError(`section [${tag.name}] closed but not open`);
      const node: Node = {
        type: 'section',
        name: section.name,
        inverted: section.inverted,
        children: section.children,
        source: source.slice(section.contentStart, tag.start),
      };
      children().push(node);
    } else {
      children().push({ type: 'variable', name: tag.name, escape: tag.sigil === '' });
    }
  }
  if (open.length > 0) throw new MustacheError(`section [${open.at(-1)?.name}] is not closed`);
  if (position < source.length) root.push({ type: 'text', text: source.slice(position) });
  return root;
}

type Scope = readonly unknown[];

function property(context: unknown, key: string): unknown {
  if (typeof context !== 'object' || context === null || Array.isArray(context)) return undefined;
  return Object.hasOwn(context, key) ? (context as Record<string, unknown>)[key] : undefined;
}

function lookup(name: string, scopes: Scope): unknown {
  if (name === '.') return scopes.at(-1);
  for (let i = scopes.length - 1; i >= 0; i--) {
    const whole = property(scopes[i], name);
    if (whole !== undefined) return whole;
    const [head, ...rest] = name.split('.');
    let value = property(scopes[i], head as string);
    if (value === undefined) continue;
    for (const key of rest) value = property(value, key);
    return value;
  }
  return undefined;
}

/** How Java prints the model's values (`String.valueOf`; a list as `[a, b]`). */
function display(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return `[${value.map(display).join(', ')}]`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Jackson's JSON string escaping, which Elasticsearch's JSON-mode Mustache applies to `{{name}}`. */
function jsonEscape(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

function isFalsy(value: unknown): boolean {
  return value === undefined || value === null || value === false || value === '' || (Array.isArray(value) && value.length === 0);
}

/** A surrogate without its other half, which UTF-8 cannot encode. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** What encodeURIComponent leaves as is but Java's URLEncoder encodes. */
const NOT_FORM_SAFE = /[!'()~]/g;

/**
 * Java's `URLEncoder.encode(value, UTF_8)`, which Elasticsearch's `{{#url}}` calls: the form encoding, where a
 * space is `+` and only letters, digits and `.-*_` are kept; a lone surrogate becomes `?`, as Java's encoder
 * replaces what it cannot encode.
 */
function formUrlEncode(value: string): string {
  return encodeURIComponent(value.replace(LONE_SURROGATE, '?'))
    .replace(NOT_FORM_SAFE, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

function renderSection(node: Extract<Node, { type: 'section' }>, scopes: Scope): string {
  if (!node.inverted) {
    const content = node.source.trim();
    if (node.name === 'tojson' || node.name === 'toJson') return JSON.stringify(lookup(content, scopes) ?? null);
    if (node.name === 'join') {
      const value = lookup(content, scopes);
      return Array.isArray(value) ? value.map(display).join(',') : display(value);
    }
    if (node.name === 'url') return formUrlEncode(renderNodes(node.children, scopes));
  }
  const value = lookup(node.name, scopes);
  if (node.inverted) return isFalsy(value) ? renderNodes(node.children, scopes) : '';
  if (isFalsy(value)) return '';
  if (Array.isArray(value)) return value.map((item) => renderNodes(node.children, [...scopes, item])).join('');
  return renderNodes(node.children, value === true ? scopes : [...scopes, value]);
}

function renderNodes(nodes: Template, scopes: Scope): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') out += node.text;
    else if (node.type === 'variable') {
      const text = display(lookup(node.name, scopes));
      out += node.escape ? jsonEscape(text) : text;
    } else out += renderSection(node, scopes);
  }
  return out;
}

export function renderMustache(template: Template, context: Readonly<Record<string, unknown>>): string {
  return renderNodes(template, [context]);
}
