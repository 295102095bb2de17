/**
 * A deliberately minimal SSE reader for emulator tests: blank-line separated
 * frames of `event:` / `data:` lines, LF or CRLF. Independent of src/api/sse.ts,
 * so emulator tests do not grade the emulator with the parser under test.
 */
export interface SseFrame {
  event: string;
  data: any;
}

export function parseSse(text: string): SseFrame[] {
  return text
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      return { event, data: JSON.parse(data.join('\n')) };
    });
}
