/**
 * The cost of reading Helm charts in place: every template of the charts in ../shared/corpus/charts
 * analysed as a template (masking included), against the same files' masked text analysed as
 * plain YAML, and as templates read with their chart's values.yaml. Run by `npm run bench` (one line in its report), or alone: node test/bench/charts.js.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { best } = require('./util');

const ROOT = path.resolve(__dirname, '..', '..');
const CHARTS = path.resolve(ROOT, '..', 'shared', 'corpus', 'charts');

function templates(dir, out) {
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) templates(full, out);
    else if (/\.ya?ml$/.test(d.name) && (full.includes(`${path.sep}templates${path.sep}`) || path.basename(dir) === 'templates')) out.push(fs.readFileSync(full, 'utf8'));
  }
  return out;
}

/** Milliseconds (best of `runs`) for the charts as templates and as plain YAML; undefined without the corpus. */
function measureCharts(runs = 5) {
  if (!fs.existsSync(CHARTS)) return undefined;
  const core = require(path.join(ROOT, 'server', 'out', 'core'));
  const { maskTemplate } = require(path.join(ROOT, 'server', 'out', 'core', 'yaml', 'helm'));
  const texts = templates(CHARTS, []);
  const plain = texts.map((t) => maskTemplate(t).masked);
  const settings = core.DEFAULT_SETTINGS;
  const asTemplates = best(runs, () => texts.forEach((t) => core.analyzeText(t, { settings })));
  const asPlain = best(runs, () => plain.forEach((t) => core.analyzeText(t, { settings })));
  // Each chart's templates with its values.yaml (read once per chart, as the CLI does).
  const byChart = fs
    .readdirSync(CHARTS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(CHARTS, d.name))
    .map((root) => ({ root, texts: templates(path.join(root, 'templates'), []) }));
  const withValues = best(runs, () =>
    byChart.forEach(({ root, texts: ts }) => {
      const file = path.join(root, 'values.yaml');
      const chartValues = fs.existsSync(file) ? core.readChartValues(fs.readFileSync(file, 'utf8'), file) : undefined;
      ts.forEach((t) => core.analyzeText(t, { settings, ...(chartValues ? { chartValues } : {}) }));
    }),
  );
  const chars = texts.reduce((n, t) => n + t.length, 0);
  return { files: texts.length, chars, asTemplates, asPlain, withValues };
}

function chartsLine(m) {
  if (!m) return 'Helm charts: ../shared/corpus/charts not found, skipped.';
  return `Helm charts (${m.files} templates, ${(m.chars / 1024).toFixed(0)} KiB, cold): as templates ${m.asTemplates.toFixed(1)} ms, the same files as plain YAML ${m.asPlain.toFixed(1)} ms (${(m.asTemplates / m.asPlain).toFixed(2)}x), as templates with their values.yaml ${m.withValues.toFixed(1)} ms.`;
}

module.exports = { measureCharts, chartsLine };

if (require.main === module) process.stdout.write(`${chartsLine(measureCharts())}\n`);
