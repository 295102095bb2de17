/** --dry-run: the requests that would be sent, keys masked; nothing goes out. */
import type { DescribedRequest } from '../api/client.js';
import type { Context } from '../cli/context.js';

export function printDryRun(ctx: Context, requests: DescribedRequest[]): number {
  if (ctx.json) {
    ctx.printJson({ dry_run: true, requests });
    return 0;
  }
  for (const r of requests) {
    const lines = [`${r.method} ${r.url}`, ...Object.entries(r.headers).map(([name, value]) => `${name}: ${value}`)];
    if (r.body !== undefined) lines.push('', JSON.stringify(r.body, null, 2));
    const auth = r.auth ? `auth: ${r.auth.header}, ${r.auth.why}` : 'no auth header';
    lines.push(ctx.outTheme.dim(`(${auth}; dry run, nothing sent)`), '');
    ctx.print(`${lines.join('\n')}\n`);
  }
  return 0;
}
