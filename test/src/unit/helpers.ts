/** Shared helpers for the core's unit tests: inline YAML, one-call analysis, fix application. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  analyzeText,
  applyEdits,
  DEFAULT_SETTINGS,
  fixAll,
  LineIndex,
  mergeSettings,
  prepareText,
  type Analysis,
  type Finding,
  type PartialSettings,
  type ConfigMapInfo,
  type RouteInfo,
  type ServiceInfo,
} from '../../../server/out/core';

/** Strips the common indentation of a template literal and its first newline. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  // Dedent the literal parts only, then substitute: interpolated text keeps its own indentation.
  let s = strings.reduce((acc, str, i) => acc + str + (i < values.length ? `\u0000${i}\u0000` : ''), '');
  if (s.startsWith('\n')) s = s.slice(1);
  const lines = s.split('\n');
  const indents = lines.filter((l) => l.trim().length > 0).map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const min = indents.length ? Math.min(...indents) : 0;
  return lines
    .map((l) => l.slice(min))
    .join('\n')
    .replace(/[ ]+$/, '')
    .replace(/\u0000(\d+)\u0000/g, (_m, i: string) => String(values[Number(i)]));
}

export interface LintOptions {
  readonly settings?: PartialSettings;
  /** Other files, whose Services, Ingresses, BackendConfigs and ConfigMaps count. */
  readonly otherFiles?: readonly string[];
}

export function lint(text: string, opts: LintOptions = {}): Analysis {
  const settings = mergeSettings(DEFAULT_SETTINGS, opts.settings ?? {});
  const services: ServiceInfo[] = [];
  const routes: RouteInfo[] = [];
  const configMaps: ConfigMapInfo[] = [];
  (opts.otherFiles ?? []).forEach((t, i) => {
    const p = prepareText(t);
    for (const s of p.services) services.push({ ...s, filePath: `other-${i}.yaml` });
    for (const r of p.routes) routes.push({ ...r, filePath: `other-${i}.yaml` });
    for (const c of p.configMaps) configMaps.push({ ...c, filePath: `other-${i}.yaml` });
  });
  return analyzeText(text, { settings, services, routes, configMaps });
}

/** One-based line of a finding's start. */
export function lineOf(text: string, f: Finding): number {
  return new LineIndex(text).position(f.span.start).line + 1;
}

export function findingsOf(text: string, ruleId: string, opts: LintOptions = {}): Finding[] {
  return lint(text, opts).findings.filter((f) => f.ruleId === ruleId);
}

/** Applies the rule's first finding's fix; asserts one exists. */
export function applyFix(text: string, ruleId: string, opts: LintOptions = {}): string {
  const a = lint(text, opts);
  const f = a.findings.find((x) => x.ruleId === ruleId);
  assert.ok(f, `expected a ${ruleId} finding`);
  const fix = a.fixFor(f);
  assert.ok(fix, `expected a fix for ${ruleId}`);
  return applyEdits(text, fix.edits);
}

export interface RuleCase {
  readonly name: string;
  readonly yaml: string;
  readonly opts?: LintOptions;
  /** One-based lines where the rule must fire (fire cases), in order. */
  readonly lines?: readonly number[];
  readonly severity?: 'error' | 'warning' | 'info';
  /** Expected text after applying the first finding's fix. */
  readonly fixed?: string;
  /** The first finding must offer no fix. */
  readonly noFix?: boolean;
}

/** Data-driven fire / dont-fire tests for one rule. */
export function ruleTests(ruleId: string, cases: { fire: readonly RuleCase[]; dontFire: readonly RuleCase[] }): void {
  for (const c of cases.fire) {
    test(`${ruleId} fires: ${c.name}`, () => {
      const fs = findingsOf(c.yaml, ruleId, c.opts);
      assert.ok(fs.length > 0, `expected ${ruleId} to fire`);
      if (c.lines) assert.deepEqual(fs.map((f) => lineOf(c.yaml, f)), c.lines);
      if (c.severity) assert.equal(fs[0]?.severity, c.severity);
      if (c.noFix) {
        const a = lint(c.yaml, c.opts);
        const f = a.findings.find((x) => x.ruleId === ruleId);
        assert.ok(f);
        assert.equal(a.fixFor(f), undefined, 'expected no fix');
      }
      if (c.fixed !== undefined) {
        const out = applyFix(c.yaml, ruleId, c.opts);
        assert.equal(out, c.fixed);
        assertFixedClean(c.yaml, out, ruleId, c.opts);
      }
    });
  }
  for (const c of cases.dontFire) {
    test(`${ruleId} does not fire: ${c.name}`, () => {
      assert.deepEqual(
        findingsOf(c.yaml, ruleId, c.opts).map((f) => `${lineOf(c.yaml, f)}: ${f.message}`),
        [],
      );
    });
  }
}

/** The fixed text parses, has no finding of the rule for the same subject, no new finding, keeps every comment. */
export function assertFixedClean(before: string, after: string, ruleId: string, opts: LintOptions = {}): void {
  const a0 = lint(before, opts);
  const a1 = lint(after, opts);
  assert.equal(a1.notices.filter((n) => n.kind === 'syntax-error').length, 0, 'fixed text must parse');
  const keys0 = new Set(a0.findings.map((f) => `${f.ruleId} ${f.subject}`));
  for (const f of a1.findings) assert.ok(keys0.has(`${f.ruleId} ${f.subject}`), `new finding after fix: ${f.ruleId} ${f.message}`);
  assert.ok(a1.findings.length < a0.findings.length, `the ${ruleId} finding must be gone`);
  assert.deepEqual(comments(after).filter((c) => !comments(before).includes(c)), [], 'no comment added');
  for (const c of comments(before)) assert.ok(after.includes(c), `comment kept: ${c}`);
  const again = fixAll(after, { settings: mergeSettings(DEFAULT_SETTINGS, opts.settings ?? {}) });
  assert.ok(again.output.length >= after.length);
}

function comments(text: string): string[] {
  return text
    .split('\n')
    .map((l) => /(?:^|\s)(#.*)$/.exec(l)?.[1])
    .filter((c): c is string => c !== undefined);
}
