/** Small helpers shared by the benchmark scripts. */
'use strict';

/** Median, p95, min, max, mean of a list of milliseconds. */
function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  return {
    n: s.length,
    median: s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2,
    p95: s.length === 0 ? NaN : at(0.95),
    min: s[0] ?? NaN,
    max: s[s.length - 1] ?? NaN,
    mean: s.length === 0 ? NaN : s.reduce((a, b) => a + b, 0) / s.length,
  };
}

/**
 * `n` zero-based line numbers spread over the file (visited in a scattered order: 10%, 60%,
 * 30%, ...), each a line `image: ...` where appending a character keeps the YAML valid.
 */
function editPlaces(text, n) {
  const lines = text.split('\n');
  const candidates = [];
  lines.forEach((l, i) => {
    if (/^\s+image: \S+$/.test(l)) candidates.push(i);
  });
  if (candidates.length === 0) return [];
  const out = [];
  for (let k = 0; k < n; k++) {
    // A golden-ratio walk over (0, 1) visits the file evenly, never twice at the same place in a row.
    const q = (0.5 + k * 0.6180339887) % 1;
    out.push(candidates[Math.min(candidates.length - 1, Math.floor(q * candidates.length))]);
  }
  return out;
}

function fmtMs(ms) {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms >= 100 ? Math.round(ms) : ms.toFixed(1)} ms`;
}

/** The fastest of `runs` runs of `fn`, in milliseconds. */
function best(runs, fn) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    min = Math.min(min, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return min;
}

module.exports = { stats, editPlaces, fmtMs, best };
