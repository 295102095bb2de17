/**
 * A flat result as text, the way mmx-cli 1.0.27 prints one (`saved: speech.mp3`,
 * one `key: value` per line, absent values left out), so a script that reads
 * mmx-cli's text output reads mmx's.
 */
export function fieldLines(result: Readonly<Record<string, unknown>>): string {
  return Object.entries(result)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => `${key}: ${String(value).replace(/\p{Cc}+/gu, ' ')}`)
    .join('\n');
}
