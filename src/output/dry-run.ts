/** --dry-run: the requests that would be sent, keys masked, and the files that would be written; nothing goes out. */
import type { DescribedRequest } from '../api/client.js';
import type { Context } from '../cli/context.js';

export interface DryRunExtras {
  /** Files the command would write (`-` for stdout). */
  files?: readonly string[] | undefined;
  /** Fields put first in the JSON document, e.g. mmx-cli 1.0.27's `request` (the body it would send). */
  fields?: Record<string, unknown> | undefined;
}

export function printDryRun(ctx: Context, requests: DescribedRequest[], extras: DryRunExtras = {}): number {
  if (ctx.json) {
    ctx.printJson({ ...extras.fields, dry_run: true, requests, ...(extras.files ? { files: extras.files } : {}) });
    return 0;
  }
  for (const r of requests) {
    const lines = [`${r.method} ${r.url}`, ...Object.entries(r.headers).map(([name, value]) => `${name}: ${value}`)];
    if (r.body !== undefined) lines.push('', JSON.stringify(r.body, null, 2));
    const auth = r.auth ? `auth: ${r.auth.header}, ${r.auth.why}` : 'no auth header';
    lines.push(ctx.outTheme.dim(`(${auth}; dry run, nothing sent)`), '');
    ctx.print(`${lines.join('\n')}\n`);
  }
  for (const file of extras.files ?? []) ctx.print(`would write ${file === '-' ? 'stdout' : file}\n`);
  return 0;
}
