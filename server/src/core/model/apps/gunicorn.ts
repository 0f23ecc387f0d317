/**
 * gunicorn: after SIGTERM the master waits up to `--graceful-timeout` seconds (default 30)
 * for its workers, then kills them. Read from the command line and from
 * `GUNICORN_CMD_ARGS` (which gunicorn splits like a shell and reads as more arguments; the
 * command line wins). A `-c/--config` file may set it too, so with one the default is not
 * assumed. Source: gunicorn/config.py (GracefulTimeout), docs/content/signals.md.
 */
import type { ContainerView } from '../workloads';
import { envValue, envWords, flagValue, hasFlag, launchOfProgram, mayHoldOptions, parseIntSeconds } from './launch';
import type { AppShutdown } from './types';

export const GUNICORN_DEFAULT_GRACEFUL_TIMEOUT = 30;
const FLAG = ['--graceful-timeout'];
const CONFIG = ['-c', '--config'];

export function gunicornShutdown(c: ContainerView): AppShutdown | undefined {
  const launch = launchOfProgram(c, new Set(['gunicorn']));
  if (!launch) return undefined;
  const cmdArgs = envValue(c, 'GUNICORN_CMD_ARGS');
  const envArgs = cmdArgs ? envWords(cmdArgs) : [];
  const inArgs = flagValue(launch.args, FLAG);
  const inEnv = envArgs ? flagValue(envArgs, FLAG) : undefined;
  const f = inArgs ?? inEnv;
  if (f) {
    const seconds = f.dynamic ? undefined : parseIntSeconds(f.value);
    if (seconds === undefined) return undefined;
    const where = inArgs ? '' : ' in GUNICORN_CMD_ARGS';
    return { app: 'gunicorn', seconds, source: 'explicit', span: f.span, evidence: `${f.flag} ${f.value}${where}` };
  }
  // The default holds only when nothing else can set it: no config file, no options from a
  // variable, GUNICORN_CMD_ARGS readable, no envFrom that may bring GUNICORN_CMD_ARGS.
  if (!envArgs || hasFlag(launch.args, CONFIG) || hasFlag(envArgs, CONFIG) || launch.args.some(mayHoldOptions)) return undefined;
  if (c.envFrom || c.env.some((e) => e.name === 'GUNICORN_CMD_ARGS' && e.value === undefined)) return undefined;
  return {
    app: 'gunicorn',
    seconds: GUNICORN_DEFAULT_GRACEFUL_TIMEOUT,
    source: 'default',
    span: launch.span,
    evidence: "gunicorn's default --graceful-timeout",
  };
}
