/**
 * The mmx-cli script contract for `mmx quota`, pinned through the built bin/mmx in
 * both payload eras: `--output text --quiet` is mmx-cli 1.0.27's TSV (model, used,
 * total, remaining; `model - total NN%` where only a percentage is sent), and piped
 * output is the JSON payload.
 */
import { describe, expect, it } from 'vitest';
import { useContractApi } from './harness.js';

/** A fixed clock, so two payloads compare byte for byte (remains_time counts down). */
const now = () => Date.UTC(2026, 9, 1, 10, 0, 0);

describe('percent-era payload (today)', () => {
  const api = useContractApi({ quotaEra: 'percent', now });

  it('mmx quota --output text --quiet | cut -f1,4: the model and what remains', async () => {
    const r = await api.sh(`mmx quota --output text --quiet | cut -f1,4`);
    expect(r).toMatchObject({ code: 0, stdout: 'general\t97%\nvideo\t5\n', stderr: '' });
    expect(api.requests.map((q) => `${q.method} ${q.path} ${q.authStyle}`)).toEqual(['GET /v1/token_plan/remains bearer']);
  });

  it('the TSV columns: model used total remaining, and model - total NN% for a percentage alone', async () => {
    const r = await api.sh(`mmx quota --output text --quiet`);
    expect(r.stdout).toBe('general\t-\t0\t97%\nvideo\t0\t5\t5\n');
  });

  it("while IFS=$'\\t' read …: four fields per line", async () => {
    const r = await api.sh(
      `mmx quota --output text --quiet | while IFS=$'\\t' read -r model used total left; do echo "$model:$left/$total"; done`,
    );
    expect(r.stdout).toBe('general:97%/0\nvideo:5/5\n');
  });

  it('mmx quota --quiet piped prints the JSON payload as received', async () => {
    const r = await api.sh(`mmx quota --quiet`);
    expect(r.code).toBe(0);
    const payload = JSON.parse(r.stdout) as { model_remains: { model_name: string }[]; base_resp: unknown };
    expect(payload.model_remains.map((m) => m.model_name)).toEqual(['general', 'video']);
    expect(payload.base_resp).toEqual({ status_code: 0, status_msg: 'success' });
  });

  it('mmx quota show --output json is the same payload', async () => {
    const a = await api.sh(`mmx quota --output json`);
    const b = await api.sh(`mmx quota show --output json`);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(api.requests).toHaveLength(2);
  });
});

describe('count-era payload (usage_count read as remaining, as mmx-cli 1.0.27)', () => {
  const api = useContractApi({ quotaEra: 'count', quota: { intervalTotal: 1500, intervalUsed: 228 } });

  it('mmx quota --output text --quiet: one line per bucket, used = total - usage_count', async () => {
    const r = await api.sh(`mmx quota --output text --quiet`);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('MiniMax-M*\t1272\t1500\t228\nspeech-hd\t9000\t9000\t0\nimage-01\t100\t100\t0\n');
  });

  it('| cut -f1,4', async () => {
    const r = await api.sh(`mmx quota --output text --quiet | cut -f1,4`);
    expect(r.stdout).toBe('MiniMax-M*\t228\nspeech-hd\t0\nimage-01\t0\n');
  });
});
