import { IllegalArgumentError, ParseError } from '../../../../functions/errors';
import { compileMustache, MustacheError, renderMustache } from '../../../../functions/security/authz/role-mapping/mustache';
import { parseRoleTemplate, roleNames, validateRoleTemplate } from '../../../../functions/security/authz/role-mapping/templates';
import { modelValues } from '../../../../functions/security/authz/role-mapping/user-data';

const render = (source: string, context: Record<string, unknown>) => renderMustache(compileMustache(source), context);

const MODEL = modelValues({
  username: 'jdoe',
  groups: ['admins', 'ops'],
  metadata: { uid: 'u-1', 'oidc(email)': 'j@example.com' },
  realmName: 'oidc1',
});

describe('Mustache as role templates use it (CustomMustacheFactory, JSON mode)', () => {
  it('RM-7: renders variables from the flat model: dotted names are looked up whole first', () => {
    expect(render('{{username}}_{{metadata.uid}}@{{realm.name}}', MODEL)).toBe('jdoe_u-1@oidc1');
    expect(render('{{a.b}}', { a: { b: 'nested' } })).toBe('nested');
    expect(render('[{{missing}}]', MODEL)).toBe('[]');
  });

  it('RM-7: {{x}} escapes as a JSON string, {{{x}}} and {{&x}} do not', () => {
    expect(render('{{v}}|{{{v}}}|{{&v}}', { v: 'a"b\\c' })).toBe('a\\"b\\\\c|a"b\\c|a"b\\c');
  });

  it('RM-7: sections iterate lists, inverted sections render for empty values, comments are dropped', () => {
    expect(render('{{#groups}}<{{.}}>{{/groups}}', MODEL)).toBe('<admins><ops>');
    expect(render('{{^none}}empty{{/none}}{{! a comment }}', MODEL)).toBe('empty');
    expect(render('{{#flag}}on{{/flag}}{{^flag}}off{{/flag}}', { flag: false })).toBe('off');
    expect(render('{{#obj}}{{name}}{{/obj}}', { obj: { name: 'inner' } })).toBe('inner');
  });

  it("RM-7: Elasticsearch's tojson, join and url functions", () => {
    expect(render('{{#tojson}}groups{{/tojson}}', MODEL)).toBe('["admins","ops"]');
    expect(render('{{#toJson}}username{{/toJson}}', MODEL)).toBe('"jdoe"');
    expect(render('{{#join}}groups{{/join}}', MODEL)).toBe('admins,ops');
    expect(render('{{#url}}{{metadata.oidc(email)}}{{/url}}', MODEL)).toBe('j%40example.com');
  });

  it("RM-7: {{#url}} is Java's URLEncoder: form encoding, a space as +, only letters, digits and .-*_ kept", () => {
    expect(render('{{#url}}{{{v}}}{{/url}}', { v: "a b~!'()" })).toBe('a+b%7E%21%27%28%29');
    expect(render('{{#url}}{{{v}}}{{/url}}', { v: '.-*_é/+%' })).toBe('.-*_%C3%A9%2F%2B%25');
    expect(render('{{#url}}{{{v}}}{{/url}}', { v: 'x\uD800y' })).toBe('x%3Fy');
  });

  it('refuses unbalanced sections, partials and delimiter changes', () => {
    expect(() => compileMustache('{{#a}}x')).toThrow(MustacheError);
    expect(() => compileMustache('{{/a}}')).toThrow(MustacheError);
    expect(() => compileMustache('{{> partial}}')).toThrow(MustacheError);
    expect(() => compileMustache('{{=<% %>=}}')).toThrow(MustacheError);
    expect(() => compileMustache('{{open')).toThrow(MustacheError);
  });
});

describe('role templates (RM-2, RM-7, TemplateRoleName)', () => {
  it('RM-2: a script object is kept as its JSON text, a string as sent; format defaults to string', () => {
    expect(parseRoleTemplate({ template: { source: '{{username}}' } })).toEqual({
      template: '{"source":"{{username}}"}',
      format: 'string',
    });
    expect(parseRoleTemplate({ template: '{"source":"x"}', format: 'json' })).toEqual({
      template: '{"source":"x"}',
      format: 'json',
    });
  });

  it('RM-7: a format other than json or string is refused', () => {
    expect(() => parseRoleTemplate({ template: { source: 'x' }, format: 'yaml' })).toThrow(
      new ParseError('Invalid format [yaml] expected one of [json,string]'),
    );
    expect(() => parseRoleTemplate({ template: { source: 'x' }, other: 1 })).toThrow(ParseError);
  });

  it('RM-7: string format gives one role; json format a string or an array of strings; params are in scope', () => {
    const template = (source: string, format: 'string' | 'json', params?: object) =>
      parseRoleTemplate({ template: { source, ...(params && { params }) }, format });
    expect(roleNames(template('{{username}}_role', 'string'), MODEL)).toEqual(['jdoe_role']);
    expect(roleNames(template('{{#tojson}}groups{{/tojson}}', 'json'), MODEL)).toEqual(['admins', 'ops']);
    expect(roleNames(template('"{{username}}"', 'json'), MODEL)).toEqual(['jdoe']);
    expect(roleNames(template('{{prefix}}-{{username}}', 'string', { prefix: 'p' }), MODEL)).toEqual(['p-jdoe']);
  });

  it('RM-7: json format that yields something else is an error', () => {
    const template = parseRoleTemplate({ template: { source: '{"a":1}' }, format: 'json' });
    expect(() => roleNames(template, MODEL)).toThrow(
      new IllegalArgumentError('Roles template must generate a string or an array of strings, but found [START_OBJECT]'),
    );
    const numbers = parseRoleTemplate({ template: { source: '[1]' }, format: 'json' });
    expect(() => roleNames(numbers, MODEL)).toThrow(/Roles array may only contain strings/);
  });

  it('RM-7: validation compiles the script: bad JSON, stored scripts, other languages, bad Mustache are refused', () => {
    for (const template of ['not json', '{"id":"stored"}', '{"source":"x","lang":"painless"}', '{"source":"{{#a}}"}']) {
      expect(() => validateRoleTemplate({ template, format: 'string' })).toThrow(IllegalArgumentError);
    }
    expect(() => validateRoleTemplate({ template: '"{{username}}"', format: 'string' })).not.toThrow();
  });
});
