'use strict';
// Preloaded with `node -r` in the bench's memory runs (never in the timed ones): writes
// to fd 3 at exit, as JSON, the process's peak RSS in KiB and the CPU time it used in ms. On Linux that is VmHWM, the peak of
// this program's own memory: getrusage's maxRSS (process.resourceUsage()) also counts
// the pages of the parent that forked it, so every child of a 70 MiB bench would
// report at least 70 MiB. A CommonJS preload starts no ESM loader and sets no V8 flag,
// so the code cache of mmx's bundle still applies.
const { readFileSync, writeSync } = require('node:fs');

function peakKiB() {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // not Linux: getrusage is the best there is
  }
  return process.resourceUsage().maxRSS;
}

process.on('exit', () => {
  const { userCPUTime, systemCPUTime } = process.resourceUsage();
  writeSync(3, JSON.stringify({ rss_kib: peakKiB(), cpu_ms: (userCPUTime + systemCPUTime) / 1000 }));
});
