/**
 * Hostile inputs the core must survive by design, each with what it may answer: alias bombs,
 * 10 MB files, 10,000-deep nesting, million-character lines, and the quadratic traps of the
 * `yaml` parser the fuzzer found. `node test/out/fuzz/limits.js <case>` analyses one case and
 * prints a JSON line (time, notice kinds, findings, peak memory), so that tests can run each
 * in a child process with a memory cap and a timeout: a crash or a hang fails one case, not
 * the test runner.
 */
import { analyzeText, DEFAULT_SETTINGS, type NoticeKind } from '../../../server/out/core';

export interface LimitCase {
  readonly name: string;
  readonly build: () => string;
  /** Notice kinds the answer may contain; [] means silence is the only right answer. */
  readonly allowed: readonly NoticeKind[];
  /** One of these kinds must be there (the clear notice); empty: silence is fine. */
  readonly required: readonly NoticeKind[];
  /** The analysis must still find these rule ids (the rest of the file is analysed). */
  readonly expectRules?: readonly string[];
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: example/web:1
        ports:
        - containerPort: 8080
`;

const INDICATORS = ':-?[]{},&*!|>%@`\'"#';

/** A billion laughs: nine levels of nine aliases each (9^9 nodes if expanded). */
function billionLaughs(): string {
  let s = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  l0: &l0 "lol"\n';
  for (let i = 1; i <= 9; i++) s += `  l${i}: &l${i} [${Array.from({ length: 9 }, () => `*l${i - 1}`).join(', ')}]\n`;
  return s;
}

/** The same through merge keys, which the model follows: `<<` of `<<` of ... in the annotations it reads. */
function mergeBomb(): string {
  let s = 'apiVersion: v1\nkind: ConfigMap\nx:\n  m0: &m0 {a: "1"}\n';
  for (let i = 1; i <= 9; i++) s += `  m${i}: &m${i} {<<: [${Array.from({ length: 9 }, () => `*m${i - 1}`).join(', ')}]}\n`;
  return `${s}metadata:\n  name: bomb\n  annotations:\n    <<: *m9\n---\n${DEPLOYMENT}`;
}

export const LIMIT_CASES: readonly LimitCase[] = [
  { name: 'alias bomb (billion laughs)', build: billionLaughs, allowed: ['too-large'], required: [] },
  { name: 'alias bomb through merge keys the model follows', build: mergeBomb, allowed: ['too-large'], required: ['too-large'], expectRules: ['prestop-hook-missing'] },
  {
    name: '10 MB file',
    build: () => `${DEPLOYMENT}---\n`.repeat(Math.ceil((10 * 1024 * 1024) / (DEPLOYMENT.length + 4))),
    allowed: ['too-large'],
    required: ['too-large'],
  },
  { name: '10,000-deep flow sequences', build: () => `a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n---\n${DEPLOYMENT}`, allowed: ['too-deep'], required: ['too-deep'], expectRules: ['prestop-hook-missing'] },
  { name: '10,000-deep flow mappings', build: () => `a: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`, allowed: ['too-deep'], required: ['too-deep'] },
  { name: '10,000-deep block sequences on one line', build: () => `x:\n  ${'- '.repeat(10_000)}x\n---\n${DEPLOYMENT}`, allowed: ['too-deep'], required: ['too-deep'], expectRules: ['prestop-hook-missing'] },
  {
    name: '10,000-deep block mappings (50 MB of indentation)',
    build: () => Array.from({ length: 10_000 }, (_, i) => `${' '.repeat(i)}k:\n`).join(''),
    allowed: ['too-large', 'too-deep'],
    required: ['too-large', 'too-deep'],
  },
  {
    name: '1,000-deep block mappings',
    build: () => Array.from({ length: 1_000 }, (_, i) => `${' '.repeat(i * 2)}k:\n`).join(''),
    allowed: ['too-deep'],
    required: ['too-deep'],
  },
  {
    name: '1,000,000-character scalar in an annotation of an analysed Deployment',
    build: () => DEPLOYMENT.replace('  name: web\n', `  name: web\n  annotations:\n    big: ${'x'.repeat(1_000_000)}\n`),
    allowed: [],
    required: [],
    expectRules: ['prestop-hook-missing'],
  },
  { name: '1,000,000-character comment line', build: () => `# ${'#'.repeat(1_000_000)}\n${DEPLOYMENT}`, allowed: [], required: [], expectRules: ['prestop-hook-missing'] },
  { name: '1,000,000-character flow sequence on one line', build: () => `a: [${'x, '.repeat(333_333)}]\n---\n${DEPLOYMENT}`, allowed: [], required: [], expectRules: ['prestop-hook-missing'] },
  {
    name: '1,000,000 characters of YAML indicators on one line',
    build: () => `${Array.from({ length: 1_000_000 }, (_, i) => INDICATORS[i % INDICATORS.length]).join('')}\n---\n${DEPLOYMENT}`,
    allowed: ['syntax-error', 'too-deep'],
    required: [],
    expectRules: ['prestop-hook-missing'],
  },
  {
    name: 'one map of 70,000 keys (quadratic unique-key check in yaml)',
    build: () => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n${Array.from({ length: 70_000 }, (_, i) => `  k${i}: "1"\n`).join('')}`,
    allowed: [],
    required: [],
  },
  { name: '1,000,000 empty documents', build: () => '---\n'.repeat(1_000_000), allowed: [], required: [] },
];

export interface LimitOutcome {
  readonly name: string;
  readonly chars: number;
  readonly ms: number;
  readonly kinds: NoticeKind[];
  readonly rules: string[];
  readonly rssMiB: number;
}

export function runLimitCase(c: LimitCase): LimitOutcome {
  const text = c.build();
  const t0 = performance.now();
  const a = analyzeText(text, { settings: DEFAULT_SETTINGS });
  const ms = performance.now() - t0;
  return {
    name: c.name,
    chars: text.length,
    ms,
    kinds: [...new Set(a.notices.map((n) => n.kind))],
    rules: [...new Set(a.findings.map((f) => f.ruleId))],
    rssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

if (require.main === module) {
  const name = process.argv[2];
  const c = LIMIT_CASES.find((x) => x.name === name);
  if (!c) {
    process.stderr.write(`unknown case ${JSON.stringify(name)}; cases:\n${LIMIT_CASES.map((x) => `  ${x.name}`).join('\n')}\n`);
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(runLimitCase(c))}\n`);
}
