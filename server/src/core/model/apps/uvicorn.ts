/**
 * uvicorn: on SIGTERM it stops accepting, asks connections to finish and waits up to
 * `--timeout-graceful-shutdown` seconds, then cancels what is left; without the option it
 * waits without limit. The option can also come from `UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN`
 * (click reads `UVICORN_*` variables for the command line). Only `uvicorn` as the program
 * (or `python -m uvicorn`) counts: an app calling `uvicorn.run()` reads neither.
 * Source: uvicorn/main.py, uvicorn/server.py, docs/settings.md.
 */
import type { ContainerView } from '../workloads';
import { envValue, flagValue, launchOfProgram, mayHoldOptions, parseIntSeconds } from './launch';
import type { AppShutdown } from './types';

const FLAG = ['--timeout-graceful-shutdown'];
export const UVICORN_ENV = 'UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN';

export function uvicornShutdown(c: ContainerView): AppShutdown | undefined {
  const launch = launchOfProgram(c, new Set(['uvicorn']));
  if (!launch) return undefined;
  const f = flagValue(launch.args, FLAG);
  if (f) {
    const seconds = f.dynamic ? undefined : parseIntSeconds(f.value);
    if (seconds === undefined) return undefined;
    return { app: 'uvicorn', seconds, source: 'explicit', span: f.span, evidence: `${f.flag} ${f.value}` };
  }
  const env = envValue(c, UVICORN_ENV);
  if (env) {
    const seconds = parseIntSeconds(env.value);
    if (seconds === undefined) return undefined;
    return { app: 'uvicorn', seconds, source: 'explicit', span: env.span, evidence: `${UVICORN_ENV}=${env.value}` };
  }
  if (c.envFrom || c.env.some((e) => e.name === UVICORN_ENV) || launch.args.some(mayHoldOptions)) return undefined;
  return { app: 'uvicorn', seconds: 'unbounded', source: 'default', span: launch.span, evidence: 'no --timeout-graceful-shutdown' };
}
