/**
 * The analyzer and every fix over real-world manifests in ../shared/corpus (not part of the
 * project; skipped, saying so, where the folder is absent).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeText, applyEdits, DEFAULT_SETTINGS, fixAll, prepareText, type ServiceInfo } from '../../../server/out/core';

const CORPUS = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'corpus');
const present = fs.existsSync(CORPUS);

function comments(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => /(?:^|\s)(#.*)$/.exec(l)?.[1])
    .filter((c): c is string => c !== undefined);
}

function syntaxErrors(text: string): number {
  return analyzeText(text, { settings: DEFAULT_SETTINGS }).notices.filter((n) => n.kind === 'syntax-error').length;
}

if (!present) {
  test('corpus checks', { skip: `${CORPUS} not found: the real-world corpus checks are skipped` }, () => undefined);
} else {
  const files = fs
    .readdirSync(CORPUS)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const texts = new Map(files.map((f) => [f, fs.readFileSync(path.join(CORPUS, f), 'utf8')]));

  for (const f of files) {
    test(`corpus ${f}: no crash, templates silent, every fix valid, fix-all idempotent`, () => {
      const text = texts.get(f) as string;
      const settings = DEFAULT_SETTINGS;
      // Each file on its own, as a user opening it in the editor would see it.
      const a = analyzeText(text, { settings });
      const templated = /\{\{|\{%/.test(text);
      if (templated && a.notices.some((n) => n.kind === 'template') && !a.notices.some((n) => n.kind === 'syntax-error')) {
        const analysedObjects = a.prepared.chunks.filter((c) => !c.template).length;
        if (analysedObjects === 0) assert.deepEqual(a.findings, [], 'a template file gets no findings');
      }
      const before = syntaxErrors(text);
      const crlf = text.includes('\r\n');
      for (const finding of a.findings) {
        const fix = a.fixFor(finding);
        if (!fix) continue;
        const out = applyEdits(text, fix.edits);
        assert.equal(syntaxErrors(out), before, `${finding.ruleId} fix keeps the file valid`);
        const after = analyzeText(out, { settings }).findings;
        assert.ok(!after.some((g) => g.ruleId === finding.ruleId && g.subject === finding.subject), `${finding.ruleId} fix removes its finding`);
        if (crlf) assert.ok(!/(^|[^\r])\n/.test(out), 'CRLF kept');
      }
      const all = fixAll(text, { settings });
      assert.equal(syntaxErrors(all.output), before, 'fix-all keeps the file valid');
      for (const c of comments(text)) assert.ok(all.output.includes(c), `comment kept: ${c}`);
      if (crlf) assert.ok(!/(^|[^\r])\n/.test(all.output), 'CRLF kept');
      assert.equal(all.output.endsWith('\n'), text.endsWith('\n'), 'final newline kept as it was');
      assert.equal(fixAll(all.output, { settings }).output, all.output, 'a second fix-all changes nothing');
    });
  }

  test('corpus as one run: Services from other files count, and nothing throws', () => {
    const services: ServiceInfo[] = [];
    for (const [f, t] of texts) for (const s of prepareText(t).services) services.push({ ...s, filePath: f });
    let findings = 0;
    for (const [f, t] of texts) {
      const a = analyzeText(t, { settings: DEFAULT_SETTINGS, services: services.filter((s) => s.filePath !== f) });
      assert.equal(a.notices.filter((n) => n.kind === 'internal-error').length, 0, f);
      findings += a.findings.length;
    }
    assert.ok(findings > 0);
  });

  test('corpus: known facts about well-known files', () => {
    const one = (f: string) => analyzeText(texts.get(f) ?? '', { settings: DEFAULT_SETTINGS });
    const ids = (f: string) => one(f).findings.map((x) => x.ruleId);
    if (texts.has('metallb__metallb-native.yaml')) assert.ok(ids('metallb__metallb-native.yaml').includes('grace-period-zero'));
    if (texts.has('gke-samples__infw-gw-vllm-llama3-8b-instruct.yaml')) {
      const a = one('gke-samples__infw-gw-vllm-llama3-8b-instruct.yaml');
      assert.equal(a.notices.filter((n) => n.kind === 'syntax-error').length, 1);
      assert.deepEqual(a.findings, []);
    }
    for (const f of ['microservices-demo__kustomize-delete-loadgenerator-patch.yaml', 'argo-cd__ha-overlay-argocd-server-deployment-patch.yaml', 'emojivoto__kustomize-job-patch.yaml', 'prometheus-operator__prometheus-cr.yaml', 'home-ops__qbittorrent-helmrelease.yaml']) {
      if (texts.has(f)) assert.deepEqual(ids(f), [], `${f}: patches, fragments and CRs without pod templates are not judged`);
    }
    if (texts.has('knative-serving__dataplane-probe-setup.yaml')) {
      const a = one('knative-serving__dataplane-probe-setup.yaml');
      assert.ok(a.findings.every((x) => !x.subject.startsWith('Service/')), 'Knative Services are not judged');
    }
  });
}
