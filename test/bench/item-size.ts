/**
 * An item's size as DynamoDB counts it for capacity (its documented rules): attribute names and string
 * values in UTF-8 bytes, a number about one byte per two significant digits plus one, booleans and nulls
 * one byte, maps and lists 3 bytes plus one per element. Writes are billed per started 1 KB of the larger
 * of the old and the new item, so this says how far an item is from costing twice as much.
 */
export function itemBytes(item: Record<string, unknown>): number {
  return Object.entries(item).reduce((total, [name, value]) => total + Buffer.byteLength(name) + valueBytes(value), 0);
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') {
    const digits = String(Math.abs(value)).replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length || 1;
    return Math.ceil(digits / 2) + 1;
  }
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (Array.isArray(value)) return 3 + value.reduce((total: number, element) => total + 1 + valueBytes(element), 0);
  if (typeof value === 'object') {
    return (
      3 +
      Object.entries(value as Record<string, unknown>).reduce(
        (total, [name, element]) => total + 1 + Buffer.byteLength(name) + valueBytes(element),
        0,
      )
    );
  }
  return 0;
}
