/** `detectionOutcome`, the login's pure decision of which region's check to take and when. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ProbeState, detectionOutcome } from '../../src/commands/auth/login.js';

const checks = (global: ProbeState, cn: ProbeState) => [
  { region: 'global' as const, state: global },
  { region: 'cn' as const, state: cn },
];

describe('detectionOutcome', () => {
  it('takes the first acceptance at once when no region is stored, or the stored one accepted', () => {
    expect(detectionOutcome(checks('accepted', 'pending'), undefined, false)).toEqual({ kind: 'chosen', index: 0 });
    expect(detectionOutcome(checks('pending', 'accepted'), undefined, false)).toEqual({ kind: 'chosen', index: 1 });
    expect(detectionOutcome(checks('pending', 'accepted'), 'cn', false)).toEqual({ kind: 'chosen', index: 1 });
    expect(detectionOutcome(checks('accepted', 'accepted'), 'cn', false)).toEqual({ kind: 'chosen', index: 1 });
    expect(detectionOutcome(checks('accepted', 'accepted'), 'global', false)).toEqual({ kind: 'chosen', index: 0 });
  });

  it('an acceptance in the other region waits for the stored region, within the grace period only', () => {
    expect(detectionOutcome(checks('accepted', 'pending'), 'cn', false)).toEqual({ kind: 'wait', grace: true });
    expect(detectionOutcome(checks('accepted', 'pending'), 'cn', true)).toEqual({ kind: 'chosen', index: 0 });
    expect(detectionOutcome(checks('accepted', 'failed'), 'cn', false)).toEqual({ kind: 'chosen', index: 0 });
  });

  it('without an acceptance, waits for every check, then gives up', () => {
    expect(detectionOutcome(checks('failed', 'pending'), undefined, false)).toEqual({ kind: 'wait', grace: false });
    expect(detectionOutcome(checks('pending', 'failed'), 'global', true)).toEqual({ kind: 'wait', grace: false });
    expect(detectionOutcome(checks('failed', 'failed'), 'cn', false)).toEqual({ kind: 'none' });
  });

  it('a single check (a given region or base URL) is taken or refused as it answers', () => {
    expect(detectionOutcome([{ region: 'cn', state: 'pending' }], 'global', false)).toEqual({ kind: 'wait', grace: false });
    expect(detectionOutcome([{ region: 'cn', state: 'accepted' }], 'global', false)).toEqual({ kind: 'chosen', index: 0 });
    expect(detectionOutcome([{ region: 'cn', state: 'failed' }], 'cn', false)).toEqual({ kind: 'none' });
  });

  it('property: only an accepted check is chosen; it waits only while something is pending; the stored region wins a tie', () => {
    const state = fc.constantFrom<ProbeState>('pending', 'accepted', 'failed');
    fc.assert(
      fc.property(state, state, fc.constantFrom('global' as const, 'cn' as const, undefined), fc.boolean(), (g, c, stored, graceOver) => {
        const input = checks(g, c);
        const outcome = detectionOutcome(input, stored, graceOver);
        if (outcome.kind === 'chosen') expect(input[outcome.index]?.state).toBe('accepted');
        if (outcome.kind === 'wait') expect(input.some((x) => x.state === 'pending')).toBe(true);
        if (outcome.kind === 'none') expect(input.every((x) => x.state === 'failed')).toBe(true);
        const storedCheck = input.find((x) => x.region === stored);
        if (storedCheck?.state === 'accepted') expect(outcome).toEqual({ kind: 'chosen', index: input.indexOf(storedCheck) });
      }),
    );
  });
});
