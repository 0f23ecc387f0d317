/**
 * The cost of reading Helm charts in place: every template of the charts in ../shared/corpus/charts
 * analysed as a template (masking included), against the same files' masked text analysed as
 * plain YAML, and as templates read with their chart's values.yaml (each chart's values read
 * once per round, inside the timing), against every YAML file of the charts (the templates'
 * masked text and each values.yaml) analysed as plain YAML. Run by `npm run bench` (one line in its report), or alone:
 * node test/bench/charts.js [rounds, default 7].
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

/**
 * Milliseconds (best of `runs`, after one warm-up round) for the charts as templates, as plain
 * YAML and as templates with their values.yaml; undefined without the corpus. The modes are
 * measured in turn in every round, starting from another one each round, so that each sees the
 * same state of the machine, the heap and the JIT; files are read before any timing, and each
 * mode analyses the same texts every round.
 */
function measureCharts(runs = 5) {
  if (!fs.existsSync(CHARTS)) return undefined;
  const core = require(path.join(ROOT, 'server', 'out', 'core'));
  const { maskTemplate } = require(path.join(ROOT, 'server', 'out', 'core', 'yaml', 'helm'));
  const texts = templates(CHARTS, []);
  const plain = texts.map((t) => maskTemplate(t).masked);
  const settings = core.DEFAULT_SETTINGS;
  // Each chart's templates with its values.yaml, read once per chart and round as the CLI reads it once per run.
  const byChart = fs
    .readdirSync(CHARTS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(CHARTS, d.name))
    .map((root) => {
      const file = path.join(root, 'values.yaml');
      return { file, values: fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined, texts: templates(path.join(root, 'templates'), []) };
    });
  const modes = {
    asTemplates: () => texts.forEach((t) => core.analyzeText(t, { settings })),
    asPlain: () => plain.forEach((t) => core.analyzeText(t, { settings })),
    withValues: () =>
      byChart.forEach(({ file, values, texts: ts }) => {
        const chartValues = values === undefined ? undefined : core.readChartValues(values, file);
        ts.forEach((t) => core.analyzeText(t, { settings, ...(chartValues ? { chartValues } : {}) }));
      }),
    // Every YAML file of the charts as plain YAML: the templates' masked text and each values.yaml.
    asPlainAll: () => {
      plain.forEach((t) => core.analyzeText(t, { settings }));
      byChart.forEach(({ values }) => values !== undefined && core.analyzeText(values, { settings }));
    },
    // The part of withValues that reads the values files: a YAML parse of every values.yaml.
    valuesRead: () => byChart.forEach(({ file, values }) => values !== undefined && core.readChartValues(values, file)),
  };
  const ms = { asTemplates: Infinity, asPlain: Infinity, withValues: Infinity, asPlainAll: Infinity, valuesRead: Infinity };
  const names = Object.keys(modes);
  for (let round = 0; round <= runs; round++) {
    // Each round starts with another mode: no mode always follows the same one (and pays for its garbage).
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length];
      const t = best(1, modes[name]);
      if (round > 0) ms[name] = Math.min(ms[name], t);
    }
  }
  const chars = texts.reduce((n, t) => n + t.length, 0);
  const valuesFiles = byChart.filter((c) => c.values !== undefined);
  const valuesChars = valuesFiles.reduce((n, c) => n + (c.values ?? '').length, 0);
  return { files: texts.length, chars, valuesFiles: valuesFiles.length, valuesChars, runs, ...ms };
}

function chartsLine(m) {
  if (!m) return 'Helm charts: ../shared/corpus/charts not found, skipped.';
  const ratio = (x) => `${(x / m.asPlain).toFixed(2)}x`;
  return (
    `Helm charts (${m.files} templates, ${(m.chars / 1024).toFixed(0)} KiB; best of ${m.runs} rounds after a warm-up): ` +
    `as templates ${m.asTemplates.toFixed(1)} ms, the same files' masked text as plain YAML ${m.asPlain.toFixed(1)} ms, ` +
    `as templates with their values.yaml ${m.withValues.toFixed(1)} ms, of which reading the ${m.valuesFiles} values.yaml files ` +
    `(${(m.valuesChars / 1024).toFixed(0)} KiB) ${m.valuesRead.toFixed(1)} ms; templates / plain ${ratio(m.asTemplates)}, ` +
    `with values / plain ${ratio(m.withValues)} (${ratio(m.withValues - m.valuesRead)} without reading the values files); ` +
    `every file of the charts as plain YAML (templates and values.yaml) ${m.asPlainAll.toFixed(1)} ms: with values / that ${(m.withValues / m.asPlainAll).toFixed(2)}x.`
  );
}

module.exports = { measureCharts, chartsLine };

if (require.main === module) process.stdout.write(`${chartsLine(measureCharts(Number(process.argv[2]) || 7))}\n`);
