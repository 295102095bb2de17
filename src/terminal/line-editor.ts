/**
 * The REPL's terminal: line editing (node:readline: cursor keys, Ctrl-A/E/U/K/W,
 * history with ↑/↓, Tab completion, wide characters) while a line is typed, and
 * Ctrl-C while an answer streams. readline is closed during an answer, so the
 * answer is never interleaved with readline's echo: keys typed then are kept
 * and replayed into the next prompt (type-ahead), except Ctrl-C, which stops
 * the answer. A multi-line paste is one message (bracketed paste), and a line
 * ending in `\` continues on the next.
 *
 * Takes the streams it is given; only system-deps.ts hands it the process's.
 */
import { type Interface, type Key, createInterface, emitKeypressEvents } from 'node:readline';
import type { LineEditor, LineEditorOptions, LineRead } from '../deps.js';

const BRACKETED_PASTE_ON = '\u001b[?2004h';
const BRACKETED_PASTE_OFF = '\u001b[?2004l';

export function createLineEditor(input: NodeJS.ReadStream, output: NodeJS.WriteStream, options: LineEditorOptions): LineEditor {
  // readline keeps history newest first.
  let history = [...options.history].reverse().slice(0, options.historySize);
  /** Keys typed while no prompt was open, replayed into the next one. */
  let typeahead: string[] = [];
  let pasting = false;
  let onAnswerKey: ((s: string | undefined, key: Key) => void) | undefined;
  emitKeypressEvents(input);
  // Registered before any readline interface, so paste marks are seen before the keys they enclose.
  const onKeypress = (s: string | undefined, key: Key) => {
    if (key?.name === 'paste-start') pasting = true;
    else if (key?.name === 'paste-end') pasting = false;
    onAnswerKey?.(s, key);
  };
  input.on('keypress', onKeypress);
  output.write(BRACKETED_PASTE_ON);

  const completer = (line: string): [string[], string] => {
    if (!line.startsWith('/') || line.includes(' ')) return [[], line];
    const hits = options.completions.filter((c) => c.startsWith(line));
    return [hits, line];
  };

  return {
    get history() {
      return [...history].reverse();
    },

    read(prompt: string): Promise<LineRead> {
      return new Promise((resolve) => {
        const rl: Interface = createInterface({
          input,
          output,
          terminal: true,
          history,
          historySize: options.historySize,
          removeHistoryDuplicates: true,
          completer,
          tabSize: 4,
        });
        const parts: string[] = [];
        let settled = false;
        const finish = (result: LineRead) => {
          if (settled) return;
          settled = true;
          history = [...(rl as unknown as { history: string[] }).history];
          rl.close();
          // Keys still arriving in this chunk (the rest of a paste, type-ahead) are kept for the next prompt.
          startTypeahead();
          resolve(result);
        };
        rl.on('line', (line) => {
          const continued = !pasting && line.endsWith('\\');
          if (pasting || continued) {
            parts.push(continued ? line.slice(0, -1) : line);
            rl.setPrompt(options.continuation);
            rl.prompt();
            return;
          }
          parts.push(line);
          finish({ kind: 'line', text: parts.join('\n') });
        });
        rl.on('SIGINT', () => {
          output.write('\n');
          finish({ kind: 'interrupt', typed: parts.length > 0 || rl.line !== '' });
        });
        rl.on('close', () => finish({ kind: 'end' }));
        stopTypeahead();
        rl.setPrompt(prompt);
        rl.prompt();
        const pending = typeahead;
        typeahead = [];
        for (const s of pending) rl.write(s);
      });
    },

    watchInterrupt(onInterrupt: () => void): () => void {
      const previous = onAnswerKey;
      onAnswerKey = (s, key) => {
        if (key?.ctrl && key.name === 'c') onInterrupt();
        else previous?.(s, key);
      };
      return () => {
        onAnswerKey = previous;
      };
    },

    close() {
      stopTypeahead();
      input.off('keypress', onKeypress);
      output.write(BRACKETED_PASTE_OFF);
      input.setRawMode?.(false);
      input.pause();
    },
  };

  /** Between prompts: raw mode stays on (Ctrl-C is a key, not a signal) and keys are queued. */
  function startTypeahead(): void {
    input.setRawMode?.(true);
    input.resume();
    onAnswerKey = (s, key) => {
      if (key?.ctrl && key.name === 'c') return;
      if (key?.name === 'paste-start' || key?.name === 'paste-end') return;
      if (s !== undefined) typeahead.push(s);
      else if (key?.sequence) typeahead.push(key.sequence);
    };
  }

  function stopTypeahead(): void {
    onAnswerKey = undefined;
  }
}
