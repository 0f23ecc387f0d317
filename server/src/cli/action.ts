/**
 * The GitHub Action's entry (see action.yml at the repository root): runs the CLI on the
 * workflow's inputs, writes SARIF for code scanning and prints annotations for the pull request.
 *
 * Inputs come from the environment as the action sets them: INPUT_PATHS (paths separated by
 * spaces or newlines, relative to GITHUB_WORKSPACE), INPUT_SARIF_FILE (empty: no SARIF),
 * INPUT_ANNOTATIONS (true/false), INPUT_FAIL_LEVEL (error, warning or none),
 * INPUT_KUBERNETES_VERSION and INPUT_CONFIG (optional). The SARIF path is written to
 * GITHUB_OUTPUT as `sarif-file`. Exit code: 1 when findings reach the fail level, 2 on bad
 * inputs or unreadable files, else 0.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, type Io } from './main';

export interface ActionEnv {
  readonly [name: string]: string | undefined;
}

export interface ActionIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
}

const FAIL_LEVELS = ['error', 'warning', 'none'] as const;
type FailLevel = (typeof FAIL_LEVELS)[number];

function input(env: ActionEnv, name: string): string {
  return (env[`INPUT_${name}`] ?? '').trim();
}

/** A workflow command's message, escaped as GitHub requires. */
function commandData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function runAction(env: ActionEnv, io: ActionIo): number {
  const fail = (message: string): number => {
    io.stdout(`::error title=kube-graceful::${commandData(message)}\n`);
    return 2;
  };
  const workspace = path.resolve(env.GITHUB_WORKSPACE ?? process.cwd());
  const paths = input(env, 'PATHS').split(/\s+/).filter((p) => p !== '');
  if (paths.length === 0) paths.push('.');
  if (paths.includes('-')) return fail('The paths input cannot read standard input ("-").');
  const failLevel = (input(env, 'FAIL_LEVEL') || 'error') as FailLevel;
  if (!FAIL_LEVELS.includes(failLevel)) return fail(`fail-level must be error, warning or none, not "${failLevel}".`);
  const annotations = (input(env, 'ANNOTATIONS') || 'true').toLowerCase();
  if (annotations !== 'true' && annotations !== 'false') return fail(`annotations must be true or false, not "${annotations}".`);
  const sarifInput = input(env, 'SARIF_FILE');
  const sarifFile = sarifInput === '' ? undefined : path.resolve(workspace, sarifInput);

  const common: string[] = [];
  const version = input(env, 'KUBERNETES_VERSION');
  if (version !== '') common.push('--kubernetes-version', version);
  const config = input(env, 'CONFIG');
  if (config !== '') common.push('--config', path.resolve(workspace, config));
  if (failLevel === 'warning') common.push('--max-warnings', '0');
  const absolutePaths = paths.map((p) => path.resolve(workspace, p));

  // Each run reports the same problems on stderr: only the last one is shown.
  let stderr = '';
  const cliIo = (stdout: (s: string) => void, last: boolean): Io => ({
    stdout,
    stderr: (s) => {
      stderr += s;
      if (last) io.stderr(s);
    },
    readStdin: () => '',
    isTty: false,
    stderrIsTty: false,
    cwd: workspace,
  });
  // Relative paths in the reports (SARIF URIs, annotation files) are relative to the workspace,
  // which is also where GitHub resolves them.
  const runs: number[] = [];
  if (sarifFile !== undefined) {
    fs.mkdirSync(path.dirname(sarifFile), { recursive: true });
    runs.push(run(['-f', 'sarif', '-o', sarifFile, ...common, ...absolutePaths], cliIo(() => undefined, annotations === 'false')));
  }
  if (annotations === 'true') {
    runs.push(run(['-f', 'github', ...common, ...absolutePaths], cliIo(io.stdout, true)));
  } else if (sarifFile === undefined) {
    runs.push(run(['-f', 'json', ...common, ...absolutePaths], cliIo(() => undefined, true)));
  }
  if (runs.includes(2)) return fail([...new Set(stderr.trim().split('\n'))].join('\n').replace(/^kube-graceful: /gm, '') || 'kube-graceful could not run.');
  if (sarifFile !== undefined && env.GITHUB_OUTPUT) fs.appendFileSync(env.GITHUB_OUTPUT, `sarif-file=${sarifFile}\n`, 'utf8');
  if (failLevel === 'none') return 0;
  return runs.includes(1) ? 1 : 0;
}

export function main(): void {
  process.exitCode = runAction(process.env, {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
}

if (require.main === module) main();
