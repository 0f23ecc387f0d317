/**
 * The twelve real Helm charts of ../shared/corpus/charts read in place, each chart as one run
 * (its Services and helpers together), with what a chart maintainer would expect: no syntax
 * error on any template, and findings only where the chart as written drops requests.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeText, DEFAULT_SETTINGS, helperIncludes, ParseCache, prepareText, readChartValues, ServiceIndex, type ChartValues, type ServiceInfo } from '../../../server/out/core';

const CHARTS = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'corpus', 'charts');

function files(dir: string, re: RegExp, out: string[] = []): string[] {
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) files(full, re, out);
    else if (re.test(d.name)) out.push(full);
  }
  return out.sort();
}

/** `file:line rule` for every finding, and every notice's kind, of one chart (with its values.yaml when `withValues`). */
function lintChart(root: string, withValues = false): { findings: string[]; notices: string[]; related: string[] } {
  const valuesFile = path.join(root, 'values.yaml');
  const chartValues: ChartValues | undefined = withValues ? readChartValues(fs.readFileSync(valuesFile, 'utf8'), valuesFile) : undefined;
  const templates = files(path.join(root, 'templates'), /\.ya?ml$/);
  const helpers = helperIncludes(files(path.join(root, 'templates'), /^_.*\.tpl$/).map((f) => fs.readFileSync(f, 'utf8')));
  const texts = templates.map((f) => fs.readFileSync(f, 'utf8'));
  const services: ServiceInfo[] = [];
  texts.forEach((t, i) => {
    for (const s of prepareText(t, new ParseCache(), chartValues ?? null).services) services.push({ ...s, filePath: templates[i] ?? '' });
  });
  const index = new ServiceIndex(services);
  const findings: string[] = [];
  const notices: string[] = [];
  const related: string[] = [];
  texts.forEach((t, i) => {
    const file = templates[i] ?? '';
    const a = analyzeText(t, { settings: DEFAULT_SETTINGS, services: index, excludeFile: file, helpers, ...(chartValues ? { chartValues } : {}) });
    for (const f of a.findings) findings.push(`${path.relative(root, file)}:${t.slice(0, f.span.start).split('\n').length} ${f.ruleId}`);
    for (const f of a.findings) for (const r of f.related) if (r.filePath === valuesFile) related.push(r.message);
    for (const n of a.notices) notices.push(n.kind);
  });
  return { findings, notices, related };
}

/** What each chart should report with the chart as written (default values decide nothing: every branch is read). */
const EXPECTED: Record<string, string[]> = {
  'argoproj+argo-helm+argo-rollouts': [],
  'cert-manager+cert-manager+cert-manager': [],
  'fluent+helm-charts+fluent-bit': [],
  // The image renderer serves Grafana's render requests through its own Service and has no hook.
  'grafana-community+helm-charts+grafana': ['templates/image-renderer-deployment.yaml:79 prestop-hook-missing'],
  // Hooks come from values through `with` or are written in the template (sleep && kill).
  'hashicorp+vault-helm+vault': [],
  // Its Service selects it through the instance-name include and targets port 8085 (metrics in
  // practice, but the port's name comes from values, so nothing marks it as metrics).
  'kubernetes+autoscaler+cluster-autoscaler': ['templates/deployment.yaml:62 prestop-hook-missing'],
  'kubernetes-sigs+external-dns+external-dns': [],
  'open-telemetry+opentelemetry-helm-charts+opentelemetry-collector': [],
  // The test-connection Pod's hook annotation comes from values: a one-off pod.
  'prometheus-community+helm-charts+alertmanager': [],
  'prometheus-community+helm-charts+kube-state-metrics': [],
  'prometheus-community+helm-charts+prometheus-pushgateway': [],
  'traefik+traefik-helm-chart+traefik': [],
};

/**
 * What changes when each chart is read with its values.yaml defaults (charts not listed: the
 * same as above). A conditional around the grace period or an empty splice that values.yaml
 * decides no longer leaves the pod unknown.
 */
const WITH_VALUES: Record<string, string[]> = {
  // `with .Values.terminationGracePeriodSeconds` is null by default: the grace period is the
  // default 30 s, and the pod is judged. The webhook container (line 200) stands in an
  // `if eq $providerName "webhook"` the values do not decide: every branch is read.
  'kubernetes-sigs+external-dns+external-dns': ['templates/deployment.yaml:85 prestop-hook-missing', 'templates/deployment.yaml:200 prestop-hook-missing'],
  // extraContainers, podAnnotations, … are empty by default: Alertmanager's own container, behind its Service, has no hook.
  'prometheus-community+helm-charts+alertmanager': ['templates/statefulset.yaml:146 prestop-hook-missing'],
};

if (!fs.existsSync(CHARTS)) {
  test('chart corpus checks', { skip: `${CHARTS} not found: the real chart checks are skipped` }, () => undefined);
} else {
  for (const [chart, expected] of Object.entries(EXPECTED)) {
    test(`chart ${chart}: no syntax error on any template, findings where the chart drops requests`, () => {
      const root = path.join(CHARTS, chart);
      if (!fs.existsSync(root)) return;
      const { findings, notices } = lintChart(root);
      assert.ok(!notices.includes('syntax-error'), `${chart}: ${notices.join(', ')}`);
      assert.deepEqual(findings, expected);
    });
    test(`chart ${chart} with its values.yaml: findings as the defaults say, no syntax error`, () => {
      const root = path.join(CHARTS, chart);
      if (!fs.existsSync(path.join(root, 'values.yaml'))) return;
      const { findings, notices } = lintChart(root, true);
      assert.ok(!notices.includes('syntax-error'), `${chart}: ${notices.join(', ')}`);
      assert.deepEqual(findings, WITH_VALUES[chart] ?? expected);
    });
  }
}
