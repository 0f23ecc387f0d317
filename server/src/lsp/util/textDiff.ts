/**
 * A small set of text edits that turns `before` into `after`: the common prefix and suffix
 * are cut, the rest is diffed line by line (Myers), and each changed hunk is trimmed to the
 * characters that differ. Used for whole-file fixes, so an editor keeps its cursor, folding
 * and undo granularity outside the places a fix touched.
 */
export interface OffsetEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/** Above this many differing lines the middle part is replaced as one hunk. */
const MAX_D = 2000;

export function diffEdits(before: string, after: string): OffsetEdit[] {
  if (before === after) return [];
  let prefix = 0;
  const minLen = Math.min(before.length, after.length);
  while (prefix < minLen && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < minLen - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  // Widen to whole lines for the line diff.
  const start = before.lastIndexOf('\n', prefix - 1) + 1;
  const bEndRaw = before.length - suffix;
  const nl = before.indexOf('\n', bEndRaw);
  const bEnd = nl === -1 || nl < bEndRaw ? before.length : nl + 1;
  const aEnd = after.length - (before.length - bEnd);
  const a = splitLines(before.slice(start, bEnd));
  const b = splitLines(after.slice(start, aEnd));
  const hunks = myers(a, b);
  if (!hunks) return [trim(before, after, start, bEnd, start, aEnd)];
  const aOff = offsets(a, start);
  const bOff = offsets(b, start);
  return hunks.map((h) => trim(before, after, aOff[h.a0] ?? bEnd, aOff[h.a1] ?? bEnd, bOff[h.b0] ?? aEnd, bOff[h.b1] ?? aEnd));
}

function splitLines(s: string): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < s.length) {
    const nl = s.indexOf('\n', at);
    const end = nl === -1 ? s.length : nl + 1;
    out.push(s.slice(at, end));
    at = end;
  }
  return out;
}

function offsets(lines: readonly string[], base: number): number[] {
  const out = [base];
  let at = base;
  for (const l of lines) {
    at += l.length;
    out.push(at);
  }
  return out;
}

/** The edit replacing before[bs, be) by after[as, ae), shrunk to the differing characters. */
function trim(before: string, after: string, bs: number, be: number, as: number, ae: number): OffsetEdit {
  while (bs < be && as < ae && before.charCodeAt(bs) === after.charCodeAt(as)) {
    bs++;
    as++;
  }
  while (be > bs && ae > as && before.charCodeAt(be - 1) === after.charCodeAt(ae - 1)) {
    be--;
    ae--;
  }
  return { start: bs, end: be, newText: after.slice(as, ae) };
}

interface Hunk {
  a0: number;
  a1: number;
  b0: number;
  b1: number;
}

/** Changed line ranges between a and b; undefined when they differ in more than MAX_D lines. */
function myers(a: readonly string[], b: readonly string[]): Hunk[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_D);
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (v[off + k - 1] ?? 0) < (v[off + k + 1] ?? 0))) x = v[off + k + 1] ?? 0;
      else x = (v[off + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    trace.push(v.slice());
    if (found !== -1) break;
  }
  if (found === -1) return undefined;
  // Walk back, collecting which lines are kept.
  const keptA = new Uint8Array(n);
  const keptB = new Uint8Array(m);
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d - 1] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (prev[off + k - 1] ?? 0) < (prev[off + k + 1] ?? 0));
    const pk = down ? k + 1 : k - 1;
    const px = prev[off + pk] ?? 0;
    const py = px - pk;
    while (x > px && y > py && x > (down ? px : px + 1)) {
      x--;
      y--;
      keptA[x] = 1;
      keptB[y] = 1;
    }
    x = px;
    y = py;
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    keptA[x] = 1;
    keptB[y] = 1;
  }
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && keptA[i] === 1 && keptB[j] === 1) {
      i++;
      j++;
      continue;
    }
    const a0 = i;
    const b0 = j;
    while (i < n && keptA[i] !== 1) i++;
    while (j < m && keptB[j] !== 1) j++;
    hunks.push({ a0, a1: i, b0, b1: j });
  }
  return hunks;
}
