/**
 * Sidekiq: on SIGTERM it stops fetching jobs and waits up to `-t/--timeout` seconds
 * (default 25) for running ones, then pushes the rest back to Redis. Its config file
 * (`-C`, or config/sidekiq.yml found by itself) may set `:timeout:` too, so with `-C` the
 * default is not assumed. Source: sidekiq lib/sidekiq/config.rb, lib/sidekiq/cli.rb;
 * https://sidekiq.org/wiki/Kubernetes.
 */
import type { ContainerView } from '../workloads';
import { flagValue, hasFlag, launchOfProgram, mayHoldOptions, parseIntSeconds } from './launch';
import type { AppShutdown } from './types';

export const SIDEKIQ_DEFAULT_TIMEOUT = 25;

export function sidekiqShutdown(c: ContainerView): AppShutdown | undefined {
  const launch = launchOfProgram(c, new Set(['sidekiq']));
  if (!launch) return undefined;
  const f = flagValue(launch.args, ['-t', '--timeout']);
  if (f) {
    const seconds = f.dynamic ? undefined : parseIntSeconds(f.value);
    if (seconds === undefined) return undefined;
    return { app: 'Sidekiq', seconds, source: 'explicit', span: f.span, evidence: `${f.flag} ${f.value}` };
  }
  if (hasFlag(launch.args, ['-C', '--config']) || launch.args.some(mayHoldOptions)) return undefined;
  return { app: 'Sidekiq', seconds: SIDEKIQ_DEFAULT_TIMEOUT, source: 'default', span: launch.span, evidence: "Sidekiq's default --timeout" };
}
