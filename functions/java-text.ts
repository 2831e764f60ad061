/**
 * Java's String.trim, which Elasticsearch applies to header values and settings: every character up to
 * U+0020 goes at either end (JavaScript's trim takes Unicode spaces too, and would accept what it refuses).
 */
export function javaTrim(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && value.charCodeAt(start) <= 0x20) start++;
  while (end > start && value.charCodeAt(end - 1) <= 0x20) end--;
  return value.slice(start, end);
}
