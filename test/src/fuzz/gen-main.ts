/**
 * npm run fuzz -- --generated [--seed N] [--iterations N | --minutes M] [--only I]
 *                 [--replay FILE.json] [--save DIR] [--no-shrink] [--no-aliases] [--no-zero-grace]
 *                 [--no-short-shutdown]
 *
 * Long runs of the generated-manifest fuzzer. Each failing case is shrunk and saved (the case
 * as JSON and its YAML text) with the command that replays it. Exit code 1 when a property
 * failed.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { GenOptions } from './generate';
import { describeGenCase, loadFailure, makeGenCase, runGenCase, saveFailure, shrink } from './generated';
import type { SemanticProblem } from './semantic';

function arg(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
}

function print(problems: readonly SemanticProblem[]): string {
  return problems.map((p) => `  ${p.property}: ${p.fix}: ${p.detail}`).join('\n');
}

export function genMain(argv: readonly string[]): number {
  const replayFile = arg(argv, '--replay');
  if (replayFile !== undefined) {
    const c = loadFailure(replayFile);
    const r = runGenCase(c);
    process.stdout.write(`replay of ${replayFile}: ${c.docs.length} document(s), settings #${c.settingsVariant}\n${r.problems.length === 0 ? 'Every property held.' : print(r.problems)}\n`);
    return r.problems.length === 0 ? 0 : 1;
  }
  const seed = Number(arg(argv, '--seed') ?? Math.floor(Math.random() * 2 ** 31));
  const minutes = arg(argv, '--minutes');
  const only = arg(argv, '--only');
  const iterations = minutes !== undefined ? Number.MAX_SAFE_INTEGER : Number(arg(argv, '--iterations') ?? 3000);
  const deadline = minutes !== undefined ? Date.now() + Number(minutes) * 60_000 : Number.MAX_SAFE_INTEGER;
  const save = arg(argv, '--save') ?? path.join(os.tmpdir(), 'kube-graceful-fuzz-generated');
  const doShrink = !argv.includes('--no-shrink');
  const gen: GenOptions = {
    ...(argv.includes('--no-aliases') ? { aliases: false } : {}),
    ...(argv.includes('--no-zero-grace') ? { nonPositiveGrace: false } : {}),
    ...(argv.includes('--no-short-shutdown') ? { shortShutdown: false } : {}),
  };
  const genFlags = `${gen.aliases === false ? ' --no-aliases' : ''}${gen.nonPositiveGrace === false ? ' --no-zero-grace' : ''}${gen.shortShutdown === false ? ' --no-short-shutdown' : ''}`;
  if (!Number.isFinite(seed) || !Number.isFinite(iterations)) throw new Error('--seed and --iterations need numbers');
  process.stdout.write(`kube-graceful generated fuzz: seed ${seed}, ${only !== undefined ? `case ${only} only` : minutes !== undefined ? `${minutes} min` : `${iterations} cases`}\n`);
  const started = Date.now();
  const byProperty = new Map<string, number>();
  let failing = 0;
  let done = 0;
  let fixes = 0;
  let applied = 0;
  const first = only === undefined ? 0 : Number(only);
  const last = only === undefined ? iterations - 1 : Number(only);
  for (let i = first; i <= last && Date.now() < deadline; i++) {
    const c = makeGenCase(seed, i, gen);
    const r = runGenCase(c);
    done++;
    fixes += r.fixesChecked;
    applied += r.fixAllApplied;
    if (r.problems.length > 0) {
      failing++;
      const props = [...new Set(r.problems.map((p) => p.property))];
      for (const p of props) byProperty.set(p, (byProperty.get(p) ?? 0) + 1);
      const firstProp = props[0] ?? 'throws';
      const small = doShrink ? shrink(c, firstProp) : { c, problems: r.problems };
      const name = `seed-${seed}-case-${i}`;
      const file = path.join(save, `${name}.json`);
      const replayOriginal = `npm run fuzz -- --generated --seed ${seed} --only ${i}${genFlags}`;
      const replayShrunk = `npm run fuzz -- --generated --replay ${file}`;
      saveFailure(save, name, small.c, small.problems, `${replayShrunk}   (unshrunk: ${replayOriginal})`);
      process.stdout.write(`\nFAIL ${describeGenCase(seed, i, c)}\n${print(r.problems)}\n  shrunk: ${path.join(save, `${name}.yaml`)}\n  replay: ${replayShrunk}\n  original: ${replayOriginal}\n`);
    }
    if (done % 250 === 0) process.stdout.write(`  ${done} cases, ${failing} failing, ${Math.round((Date.now() - started) / 1000)} s\n`);
  }
  const secs = (Date.now() - started) / 1000;
  process.stdout.write(`\n${done} cases in ${secs.toFixed(1)} s: ${fixes} fixes checked one by one, ${applied} applied by fix-all.\n`);
  if (failing === 0) {
    process.stdout.write('Every property held.\n');
    return 0;
  }
  process.stdout.write(`${failing} failing case(s) (${((100 * failing) / Math.max(done, 1)).toFixed(1)}%). By property: ${[...byProperty].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}. Cases in ${save}\n`);
  return 1;
}
