/** --dry-run: the requests that would be sent, keys masked, and the files that would be written; nothing goes out. */
import type { DescribedRequest } from '../api/client.js';
import type { Context } from '../cli/context.js';

export function printDryRun(ctx: Context, requests: DescribedRequest[], files: readonly string[] = []): number {
  if (ctx.json) {
    ctx.printJson({ dry_run: true, requests, ...(files.length > 0 ? { files } : {}) });
    return 0;
  }
  for (const r of requests) {
    const lines = [`${r.method} ${r.url}`, ...Object.entries(r.headers).map(([name, value]) => `${name}: ${value}`)];
    if (r.body !== undefined) lines.push('', JSON.stringify(r.body, null, 2));
    lines.push(ctx.outTheme.dim(`(auth: ${r.auth.header}, ${r.auth.why}; dry run, nothing sent)`), '');
    ctx.print(`${lines.join('\n')}\n`);
  }
  for (const file of files) ctx.print(`would write ${file}\n`);
  return 0;
}
