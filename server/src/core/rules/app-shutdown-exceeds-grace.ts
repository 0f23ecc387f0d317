import { setGraceEdit } from '../fixes/builders';
import { requiredGraceFor } from '../fixes/grace';
import { appEnvOf, appShutdownOf, type AppShutdown } from '../model/apps';
import type { HookDuration } from '../model/hooks';
import { containerLabel, containerLabelCapitalized, formatSeconds } from '../model/timing';
import type { ContainerView, PodView } from '../model/workloads';
import type { BuiltFix } from '../fixes/types';
import type { RelatedLocation, Span } from '../types';
import type { FixEnv, Rule } from './types';

/** When the container gets SIGTERM, counted from the start of termination. */
interface SigtermTime {
  readonly at: HookDuration;
  /** How it comes about, for messages. */
  readonly why: string;
  readonly hookSpan: Span | undefined;
}

/**
 * A main container gets SIGTERM when its own preStop hook ends. A native sidecar gets it
 * only after every main container has exited, and not before its own hook ends: at least the
 * longest of those hooks. Undefined when the container's own hook takes an unknown time.
 */
function sigtermTime(pod: PodView, c: ContainerView): SigtermTime | undefined {
  const hook = c.preStop;
  if (hook && !hook.duration) return undefined;
  const own: HookDuration = hook?.duration ?? { seconds: 0, exact: true };
  if (c.role === 'main' || pod.containers.length === 0) {
    const why = hook ? `after its preStop hook (${formatSeconds(own)})` : 'at once (it has no preStop hook)';
    return { at: own, why, hookSpan: hook?.span };
  }
  let seconds = own.seconds;
  for (const m of pod.containers) seconds = Math.max(seconds, m.preStop?.duration?.seconds ?? 0);
  const at: HookDuration = { seconds, exact: false };
  return { at, why: `only after every main container has exited (${formatSeconds(at)})`, hookSpan: hook?.span };
}

function graceText(pod: PodView): string {
  return pod.grace.explicit ? `terminationGracePeriodSeconds is ${pod.grace.seconds}` : `terminationGracePeriodSeconds is not set, so it is ${pod.grace.seconds}`;
}

/** The grace period that lets the app finish: SIGTERM time + its timeout + minShutdownSeconds, and what every other container needs. */
function neededGrace(pod: PodView, at: SigtermTime, seconds: number, env: FixEnv): number {
  const own = Math.ceil(at.at.seconds) + Math.ceil(seconds) + env.settings.minShutdownSeconds;
  return Math.max(own, requiredGraceFor(pod, env.settings, undefined, env.configMaps));
}

function raiseGraceFix(pod: PodView, at: SigtermTime, seconds: number, env: FixEnv): BuiltFix | undefined {
  if (!pod.grace.valid) return undefined;
  const needed = neededGrace(pod, at, seconds, env);
  if (needed <= pod.grace.seconds) return undefined; // never lowers a grace period
  const edit = setGraceEdit(pod, needed, env);
  if (!edit) return undefined;
  return { title: `Set terminationGracePeriodSeconds to ${needed}`, edits: [edit], touches: [pod.grace.target] };
}

/** Where to report: where the timeout is written, else the container's name with the app's naming as related information. */
function anchor(pod: PodView, c: ContainerView, app: AppShutdown, at: SigtermTime | undefined): { span: Span; related: RelatedLocation[] } {
  const related: RelatedLocation[] = [];
  const span = app.source === 'explicit' ? app.span : c.span;
  if (app.source === 'default') related.push({ message: `${app.app} is started here`, span: app.span });
  if (app.origin) related.push({ ...app.origin });
  if (pod.grace.explicit && pod.grace.span) related.push({ message: 'the grace period', span: pod.grace.span });
  if (at?.hookSpan) related.push({ message: `the preStop hook of ${containerLabel(c)}`, span: at.hookSpan });
  return { span, related };
}

export const appShutdownExceedsGrace: Rule = {
  id: 'app-shutdown-exceeds-grace',
  title: "App's own shutdown timeout longer than the grace period allows",
  defaultSeverity: 'warning',
  description:
    'Servers and workers drain for a time of their own after SIGTERM: gunicorn for `--graceful-timeout` (default 30 s), ' +
    'uvicorn for `--timeout-graceful-shutdown` (without limit when unset), Spring Boot for ' +
    '`spring.lifecycle.timeout-per-shutdown-phase` (30 s), Traefik for `graceTimeOut` (10 s, after ' +
    '`requestAcceptGraceTimeout`), Sidekiq for `--timeout` (25 s), ingress-nginx for the `worker-shutdown-timeout` of its ' +
    'ConfigMap (240 s, after `--shutdown-grace-period`). SIGTERM comes only after the preStop hook, and the ' +
    'grace period counts from before the hook, so when hook + drain is longer than terminationGracePeriodSeconds the ' +
    'kubelet SIGKILLs the app in the middle of its drain and the requests or jobs still running are lost. A warning ' +
    'when the timeout is written in the manifest, info when it is the documented default of an app the manifest ' +
    'visibly runs.',
  remediation: "Make terminationGracePeriodSeconds at least the preStop hook plus the app's shutdown timeout plus a margin, or shorten the app's timeout to fit.",
  fixable: true,
  check(pod, ctx) {
    if (pod.partial || pod.batch || !pod.grace.valid) return;
    if (pod.grace.raw !== undefined && pod.grace.raw <= 0) return; // grace-period-zero speaks for these
    const grace = pod.grace.seconds;
    const appEnv = appEnvOf(pod, ctx.configMaps);
    for (const c of [...pod.containers, ...pod.sidecars]) {
      const app = appShutdownOf(c, appEnv);
      if (!app) continue;
      const at = sigtermTime(pod, c);
      const subject = `${c.subject}/app-shutdown`;
      if (app.seconds === 'unbounded') {
        const { span, related } = anchor(pod, c, app, at);
        const room = at ? Math.floor(grace - at.at.seconds - ctx.settings.minShutdownSeconds) : undefined;
        const advice =
          room !== undefined && room >= 1
            ? ` Set --timeout-graceful-shutdown to ${room} or less so that uvicorn closes them itself within the ${grace} s grace period.`
            : ' Set --timeout-graceful-shutdown so that uvicorn closes them itself within the grace period.';
        ctx.report({
          span,
          subject,
          severity: 'info',
          related,
          message:
            `${containerLabelCapitalized(c)} runs uvicorn without --timeout-graceful-shutdown: after SIGTERM it waits without ` +
            `limit for open connections and background tasks, so a long request or WebSocket is still open when SIGKILL ` +
            `comes.${advice}`,
        });
        continue;
      }
      if (!at) continue; // no timing finding on an unknown hook
      const seconds = app.seconds;
      const total = at.at.seconds + seconds;
      if (total <= grace) continue;
      const { span, related } = anchor(pod, c, app, at);
      const totalText = formatSeconds({ seconds: total, exact: at.at.exact });
      ctx.report({
        span,
        subject,
        severity: app.source === 'explicit' ? 'warning' : 'info',
        related,
        message:
          `${app.app} in ${containerLabel(c)} drains for up to ${formatSeconds(seconds)} after SIGTERM (${app.evidence}), and ` +
          `SIGTERM comes ${at.why}: that is ${totalText}, but ${graceText(pod)}. The kubelet SIGKILLs the container at ` +
          `${formatSeconds(grace)}, in the middle of its drain.`,
        fix: (env) => raiseGraceFix(pod, at, seconds, env),
      });
    }
  },
};
