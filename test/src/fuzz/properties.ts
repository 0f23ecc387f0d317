/**
 * The properties every input must keep, whatever it is:
 *  - the core never throws (analysis, lazy model access, fixes, fix-all, configuration parsing)
 *    and reports no internal error;
 *  - each analysis ends within a bound that grows linearly with the input's size;
 *  - every fix's output parses (no syntax error that was not there before: input that did not
 *    parse as a whole still has documents that did), removes its finding, adds no finding and
 *    keeps every comment; fix-all's output parses and keeps every comment, and a second fix-all
 *    pass changes nothing;
 *  - re-analysing after an edit with the ParseCache of the text before it (as the language
 *    server does) gives what a fresh analysis gives: findings, notices and fixes.
 */
import { Lexer } from 'yaml';
import {
  analyzeText,
  applyEdits,
  fixAll,
  ParseCache,
  parseConfig,
  type Analysis,
  type Finding,
  type ServiceInfo,
  type Settings,
} from '../../../server/out/core';

export type Property =
  | 'throws'
  | 'internal-error'
  | 'slow'
  | 'fix-breaks-yaml'
  | 'fix-keeps-finding'
  | 'fix-adds-finding'
  | 'fix-drops-comment'
  | 'fix-all-breaks-yaml'
  | 'fix-all-drops-comment'
  | 'fix-all-not-idempotent'
  | 'incremental-differs';

export interface Problem {
  readonly property: Property;
  readonly detail: string;
}

export interface CheckOptions {
  readonly settings: Settings;
  readonly services?: readonly ServiceInfo[];
  /** Time allowed for one analysis: base + per MiB of input (ms). */
  readonly boundMs?: { readonly base: number; readonly perMiB: number };
  /** At most this many findings get their fix checked one by one (fix-all covers the rest). */
  readonly maxFixChecks?: number;
  /** The text before the mutation: analysed first into a shared ParseCache, then `text` with it. */
  readonly previous?: string;
}

export interface CheckResult {
  readonly problems: Problem[];
  readonly parsed: boolean;
  readonly findings: number;
  readonly fixesChecked: number;
  /** Milliseconds of the first analysis. */
  readonly analysisMs: number;
}

const DEFAULT_BOUND = { base: 2000, perMiB: 10_000 } as const;

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** Comment tokens (`#...`) as the YAML lexer sees them; `#` inside scalars does not count. */
export function commentsOf(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const tok of new Lexer().lex(text)) {
    if (tok.startsWith('#')) {
      const c = tok.trimEnd();
      out.set(c, (out.get(c) ?? 0) + 1);
    }
  }
  return out;
}

function missingComment(before: Map<string, number>, after: string): string | undefined {
  const now = commentsOf(after);
  for (const [c, n] of before) if ((now.get(c) ?? 0) < n) return c;
  return undefined;
}

function syntaxErrors(a: Analysis): number {
  return a.notices.filter((n) => n.kind === 'syntax-error').length;
}

function key(f: Pick<Finding, 'ruleId' | 'subject'>): string {
  return `${f.ruleId} ${f.subject}`;
}

/** Everything a front end shows of an analysis, with every fix built. */
function summary(a: Analysis): string {
  return JSON.stringify({
    findings: a.findings.map((f) => ({ ...f, hasFix: a.hasFix(f), fix: a.fixFor(f) ?? null })),
    notices: a.notices,
    services: a.prepared.services,
    pods: a.pods.map((p) => [p.subject, p.specSpan]),
  });
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `fresh …${a.slice(Math.max(0, i - 80), i + 80)}… cached …${b.slice(Math.max(0, i - 80), i + 80)}…`;
}

export function checkInput(text: string, opts: CheckOptions): CheckResult {
  const problems: Problem[] = [];
  const bound = opts.boundMs ?? DEFAULT_BOUND;
  const limitMs = bound.base + (bound.perMiB * text.length) / (1024 * 1024);
  const analyze = (t: string): Analysis => analyzeText(t, { settings: opts.settings, ...(opts.services ? { services: opts.services } : {}) });
  const guard = <T>(what: string, f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      problems.push({ property: 'throws', detail: `${what}: ${errorText(e)}` });
      return undefined;
    }
  };
  const timed = (): { a: Analysis | undefined; ms: number } => {
    const t0 = performance.now();
    const a = guard('analyzeText', () => analyze(text));
    return { a, ms: performance.now() - t0 };
  };

  let { a, ms } = timed();
  const analysisMs = ms;
  if (a && ms > limitMs) {
    // Once more before blaming the core: a loaded machine or a GC pause is not a property failure.
    ({ a, ms } = timed());
    if (ms > limitMs) problems.push({ property: 'slow', detail: `analysis took ${Math.round(ms)} ms, bound ${Math.round(limitMs)} ms for ${text.length} chars` });
  }
  guard('parseConfig', () => parseConfig(text));
  if (!a) return { problems, parsed: false, findings: 0, fixesChecked: 0, analysisMs };
  const analysis = a;

  guard('pods and objects', () => {
    void analysis.pods.length;
    for (const c of analysis.prepared.chunks) void c.objects.length;
  });
  for (const n of analysis.notices) if (n.kind === 'internal-error') problems.push({ property: 'internal-error', detail: n.message });

  if (opts.previous !== undefined) {
    const previous = opts.previous;
    guard('incremental analysis', () => {
      const cache = new ParseCache();
      const o = { settings: opts.settings, cache, ...(opts.services ? { services: opts.services } : {}) };
      analyzeText(previous, o);
      cache.prune();
      const warm = summary(analyzeText(text, o));
      const cold = summary(analysis);
      if (warm !== cold) problems.push({ property: 'incremental-differs', detail: firstDifference(cold, warm) });
    });
  }

  const baseErrors = syntaxErrors(analysis);
  const parsed = baseErrors === 0;
  let fixesChecked = 0;
  const beforeKeys = new Set(analysis.findings.map(key));
  const comments = commentsOf(text);
  const maxFixChecks = opts.maxFixChecks ?? 8;
  for (const f of analysis.findings) {
    if (fixesChecked >= maxFixChecks) break;
    guard('hasFix', () => analysis.hasFix(f));
    const fix = guard(`fixFor(${f.ruleId})`, () => analysis.fixFor(f));
    if (!fix) continue;
    fixesChecked++;
    const where = `${f.ruleId} on ${f.subject} (${fix.title})`;
    const out = guard('applyEdits', () => applyEdits(text, fix.edits));
    if (out === undefined) continue;
    const b = guard('analyzeText after a fix', () => analyze(out));
    if (!b) continue;
    if (syntaxErrors(b) > baseErrors) problems.push({ property: 'fix-breaks-yaml', detail: where });
    if (b.findings.some((g) => key(g) === key(f))) problems.push({ property: 'fix-keeps-finding', detail: where });
    const added = b.findings.filter((g) => !beforeKeys.has(key(g)));
    if (added.length > 0) problems.push({ property: 'fix-adds-finding', detail: `${where} adds ${added.map(key).join(', ')}` });
    const lost = missingComment(comments, out);
    if (lost !== undefined) problems.push({ property: 'fix-drops-comment', detail: `${where} drops ${JSON.stringify(lost)}` });
  }
  const all = guard('fixAll', () => fixAll(text, { settings: opts.settings, ...(opts.services ? { services: opts.services } : {}) }));
  if (all && all.applied > 0) {
    const b = guard('analyzeText after fix-all', () => analyze(all.output));
    if (b && syntaxErrors(b) > baseErrors) problems.push({ property: 'fix-all-breaks-yaml', detail: `${all.applied} fixes applied` });
    const lost = missingComment(comments, all.output);
    if (lost !== undefined) problems.push({ property: 'fix-all-drops-comment', detail: JSON.stringify(lost) });
    const again = guard('second fixAll', () => fixAll(all.output, { settings: opts.settings, ...(opts.services ? { services: opts.services } : {}) }));
    if (again && (again.applied > 0 || again.output !== all.output)) {
      problems.push({ property: 'fix-all-not-idempotent', detail: `second pass applied ${again.applied} more` });
    }
  }
  return { problems, parsed, findings: analysis.findings.length, fixesChecked, analysisMs };
}
