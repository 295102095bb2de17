/**
 * A record as text the way mmx-cli 1.0.27 prints results in text mode, so
 * scripts that read its lines keep working: one `key: value` line per field,
 * absent (null or undefined) fields left out, lists as `key:` then `  - item`
 * lines, nested records indented by two spaces. Control characters a server
 * sent (an escape sequence, a newline) are shown as a space: one field, one line.
 */

export function fieldsText(record: Readonly<Record<string, unknown>>, indent = 0): string {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) {
      lines.push(`${pad}${key}:`);
      for (const item of value) {
        lines.push(
          typeof item === 'object' && item !== null
            ? `${pad}  - ${fieldsText(item as Record<string, unknown>, indent + 4).trimStart()}`
            : `${pad}  - ${shown(item)}`,
        );
      }
    } else if (typeof value === 'object') {
      lines.push(`${pad}${key}:`, fieldsText(value as Record<string, unknown>, indent + 2));
    } else {
      lines.push(`${pad}${key}: ${shown(value)}`);
    }
  }
  return lines.join('\n');
}

const shown = (value: unknown): string => String(value).replace(/\p{Cc}+/gu, ' ');
