/**
 * Precision over manifests nobody here wrote: analyses every file of ../shared/corpus/wild on
 * its own (as a user opening it would) with the default settings, matches each finding and
 * each error notice against the reviewer's verdicts in LABELS.tsv (and the project's own
 * verdicts in test/precision/verdicts.tsv, which add labels for new findings and override
 * ones judged wrong, each with its reason), and prints per rule TP / FP / D / precision and
 * every finding that has no label. Exits 1 when a finding has no label or a labelled TP is
 * no longer found. `npm run precision`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, DEFAULT_SETTINGS, LineIndex } from '../../../server/out/core';

const ROOT = path.resolve(__dirname, '..', '..', '..');
export const WILD = path.resolve(ROOT, '..', 'shared', 'corpus', 'wild');
export const OWN_VERDICTS = path.join(ROOT, 'test', 'precision', 'verdicts.tsv');

export type Verdict = 'TP' | 'FP' | 'D' | 'NOTE';

export interface Label {
  readonly repo: string;
  readonly path: string;
  readonly line: number;
  readonly rule: string;
  readonly container: string;
  readonly verdict: Verdict;
  readonly reason: string;
}

export interface Observed {
  readonly repo: string;
  readonly path: string;
  readonly line: number;
  readonly rule: string;
  readonly container: string;
  readonly severity: string;
}

export function readLabels(file: string): Label[] {
  if (!fs.existsSync(file)) return [];
  const out: Label[] = [];
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  for (const l of lines.slice(1)) {
    if (l.trim() === '' || l.startsWith('#')) continue;
    const [repo, p, line, rule, container, verdict, ...reason] = l.split('\t');
    if (repo === undefined || p === undefined || rule === undefined || container === undefined) continue;
    if (verdict !== 'TP' && verdict !== 'FP' && verdict !== 'D' && verdict !== 'NOTE') continue;
    out.push({ repo, path: p, line: Number(line), rule, container, verdict, reason: reason.join('\t') });
  }
  return out;
}

/** `<owner>+<repo>/<path>` → repo and path. */
function corpusFiles(): { file: string; repo: string; path: string }[] {
  const out: { file: string; repo: string; path: string }[] = [];
  for (const top of fs.readdirSync(WILD).sort()) {
    const dir = path.join(WILD, top);
    if (!fs.statSync(dir).isDirectory() || !top.includes('+')) continue;
    const repo = top.replace('+', '/');
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const full = path.join(d, e.name);
        if (e.isDirectory()) walk(full);
        else if (/\.ya?ml$/i.test(e.name)) out.push({ file: full, repo, path: path.relative(dir, full).split(path.sep).join('/') });
      }
    };
    walk(dir);
  }
  return out;
}

/** Every finding (and every error notice, as rule "(yaml-syntax)" etc.) the analyser makes on the wild corpus. */
export function observe(): Observed[] {
  const out: Observed[] = [];
  for (const f of corpusFiles()) {
    const text = fs.readFileSync(f.file, 'utf8');
    const a = analyzeText(text, { settings: DEFAULT_SETTINGS });
    const lines = new LineIndex(text);
    for (const finding of a.findings) {
      const container = /\/(?:containers|initContainers)\/([^/]+)$/.exec(finding.subject)?.[1] ?? '-';
      out.push({ repo: f.repo, path: f.path, line: lines.position(finding.span.start).line + 1, rule: finding.ruleId, container, severity: finding.severity });
    }
    for (const n of a.notices) {
      if (n.severity !== 'error') continue;
      out.push({ repo: f.repo, path: f.path, line: lines.position(n.span.start).line + 1, rule: n.kind === 'syntax-error' ? '(yaml-syntax)' : `(${n.kind})`, container: '-', severity: n.severity });
    }
  }
  return out;
}

function key(x: { repo: string; path: string; rule: string; container: string }): string {
  return [x.repo, x.path, x.rule, x.container].join('\t');
}

export interface Report {
  readonly perRule: Map<string, { tp: number; fp: number; d: number; note: number }>;
  readonly unlabelled: Observed[];
  readonly lostTp: Label[];
  readonly errors: Observed[];
}

/** Matches findings to labels: own verdicts first, then the corpus's, by file, rule, container and the nearest line. */
export function evaluate(observed: readonly Observed[], corpusLabels: readonly Label[], own: readonly Label[]): Report {
  const pools = new Map<string, Label[]>();
  const add = (l: Label): void => {
    const k = key(l);
    const list = pools.get(k);
    if (list) list.push(l);
    else pools.set(k, [l]);
  };
  // Own verdicts override corpus verdicts for the same finding (same file, rule, container, line).
  const overridden = new Set(own.map((l) => `${key(l)}\t${l.line}`));
  for (const l of own) add(l);
  for (const l of corpusLabels) if (!overridden.has(`${key(l)}\t${l.line}`)) add(l);
  const perRule = new Map<string, { tp: number; fp: number; d: number; note: number }>();
  const unlabelled: Observed[] = [];
  const used = new Set<Label>();
  for (const o of observed) {
    const candidates = (pools.get(key(o)) ?? []).filter((l) => !used.has(l));
    candidates.sort((a, b) => Math.abs(a.line - o.line) - Math.abs(b.line - o.line));
    const label = candidates[0];
    if (!label) {
      unlabelled.push(o);
      continue;
    }
    used.add(label);
    const c = perRule.get(o.rule) ?? { tp: 0, fp: 0, d: 0, note: 0 };
    if (label.verdict === 'TP') c.tp++;
    else if (label.verdict === 'FP') c.fp++;
    else if (label.verdict === 'D') c.d++;
    else c.note++;
    perRule.set(o.rule, c);
  }
  const effective = [...own, ...corpusLabels.filter((l) => !overridden.has(`${key(l)}\t${l.line}`))];
  const lostTp = effective.filter((l) => l.verdict === 'TP' && !used.has(l));
  return { perRule, unlabelled, lostTp, errors: observed.filter((o) => o.severity === 'error' && o.rule.startsWith('(')) };
}

function main(): number {
  if (!fs.existsSync(WILD)) {
    console.log(`${WILD} not found: nothing to measure (the wild corpus is not part of the repository).`);
    return 0;
  }
  const observed = observe();
  const report = evaluate(observed, readLabels(path.join(WILD, 'LABELS.tsv')), readLabels(OWN_VERDICTS));
  console.log('rule                               TP   FP    D  NOTE  precision  TP/(TP+FP)');
  let worst = 1;
  for (const [rule, c] of [...report.perRule].sort((a, b) => a[0].localeCompare(b[0]))) {
    const judged = c.tp + c.fp + c.d;
    // Debatable findings count against precision: they are not wrong, but not clearly right either.
    const precision = judged === 0 ? 1 : c.tp / judged;
    const strictFp = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
    if (judged > 0) worst = Math.min(worst, precision);
    const pct = (x: number): string => `${(x * 100).toFixed(1)} %`.padStart(9);
    console.log(
      `${rule.padEnd(34)} ${String(c.tp).padStart(3)}  ${String(c.fp).padStart(3)}  ${String(c.d).padStart(3)}  ${String(c.note).padStart(4)}  ${judged === 0 ? '        -' : pct(precision)}  ${judged === 0 ? '        -' : pct(strictFp)}`,
    );
  }
  console.log(`\nerrors on files: ${report.errors.length}`);
  for (const e of report.errors) console.log(`  ${e.repo}/${e.path}:${e.line} ${e.rule}`);
  console.log(`labelled TP no longer found: ${report.lostTp.length}`);
  for (const l of report.lostTp) console.log(`  ${l.repo}/${l.path}:${l.line} ${l.rule} ${l.container}`);
  console.log(`findings without a label: ${report.unlabelled.length}`);
  for (const o of report.unlabelled) console.log(`  ${o.repo}\t${o.path}\t${o.line}\t${o.rule}\t${o.container}`);
  console.log(`\nlowest precision of a rule with findings: ${(worst * 100).toFixed(1)} %`);
  return report.unlabelled.length > 0 || report.lostTp.length > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main();
