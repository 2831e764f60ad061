import { isValidName } from '../validation';

/** What GET users and GET roles read: every native entry, or those named (a name that cannot exist is never read). */
export interface NamedStore<T> {
  list(): Promise<T[]>;
  getMany(names: readonly string[]): Promise<T[]>;
}

/**
 * Elasticsearch's answer to GET users and GET roles, with its one built-in entry (`elastic`, `superuser`) that
 * no store holds: with no names, the built-in first and then the native entries by name; with names, those
 * that exist in the order asked for, each once.
 */
export async function listWithBuiltIn<T>(
  names: readonly string[],
  builtIn: { readonly name: string; readonly entry: T },
  nameOf: (entry: T) => string,
  store: NamedStore<T>,
): Promise<T[]> {
  if (names.length === 0) {
    const native = await store.list();
    return [builtIn.entry, ...native.sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0))];
  }
  const requested = [...new Set(names)];
  const stored = await store.getMany(requested.filter((name) => name !== builtIn.name && isValidName(name)));
  const byName = new Map<string, T>(stored.map((entry) => [nameOf(entry), entry]));
  byName.set(builtIn.name, builtIn.entry);
  return requested.flatMap((name) => byName.get(name) ?? []);
}
