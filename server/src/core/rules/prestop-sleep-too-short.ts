import { setGraceEdit } from '../fixes/builders';
import { requiredGraceFor } from '../fixes/grace';
import { setExecSleepEdit } from '../fixes/sleep-forms';
import { soleExecSleep } from '../model/sleeps';
import { lanesOf, podTimeline } from '../model/timeline';
import { formatSeconds } from '../model/timing';
import type { ContainerView, PodView } from '../model/workloads';
import type { Fix, TextEdit } from '../types';
import { replaceScalar } from '../yaml/edit';
import { get, asMap } from '../yaml/nodes';
import type { FixEnv, Rule } from './types';

/** Sets the hook's sleep to `seconds` and, when the rest of the grace period would get too short, raises it. */
function lengthenFix(pod: PodView, c: ContainerView, seconds: number, env: FixEnv): Fix | undefined {
  const p = c.preStop;
  if (!p || !pod.grace.valid || c.viaAlias || pod.specViaAlias) return undefined;
  let edit: TextEdit | undefined;
  if (p.form === 'sleep') {
    if (p.viaAlias) return undefined;
    const sleep = get(pod.ctx, p.node, 'sleep');
    const secs = get(pod.ctx, asMap(sleep?.value ?? null), 'seconds');
    if (!sleep || sleep.viaAlias || !secs || secs.viaAlias) return undefined;
    edit = replaceScalar(pod.ctx, secs.value, String(seconds));
  } else if (p.form === 'exec' && p.execCommand) {
    const op = soleExecSleep(p.execCommand);
    if (!op) return undefined;
    edit = setExecSleepEdit(pod, c, op, seconds, env);
  }
  if (!edit) return undefined;
  const edits: TextEdit[] = [edit];
  const grace = pod.grace.raw !== undefined && pod.grace.raw <= 0 ? undefined : pod.grace.seconds;
  // The duration is exact and comes from this one sleep, so the hook now takes `seconds`.
  const newHook = seconds;
  if (grace !== undefined && grace - newHook < env.settings.minShutdownSeconds) {
    const needed = requiredGraceFor(pod, env.settings, { container: c, seconds: newHook });
    const g = setGraceEdit(pod, needed, env);
    if (!g) return undefined;
    edits.push(g);
    return { title: `Sleep ${seconds} s before SIGTERM and raise terminationGracePeriodSeconds to ${needed}`, edits };
  }
  return { title: `Sleep ${seconds} s before SIGTERM`, edits };
}

export const prestopSleepTooShort: Rule = {
  id: 'prestop-sleep-too-short',
  title: 'preStop sleep too short for endpoint removal to propagate',
  defaultSeverity: 'info',
  description:
    'A preStop sleep exists to keep the app serving while the pod\'s removal reaches every router: kube-proxy on each node, ' +
    'CoreDNS (5 s TTL by default), ingress controllers and cloud load balancers. A sleep of a second or two ends before most ' +
    'of them have reacted, and requests still arriving after SIGTERM fail.',
  remediation: 'Sleep at least `minPropagationSeconds` (default 5 s; longer behind cloud load balancers) before SIGTERM.',
  fixable: true,
  check(pod, ctx) {
    if (pod.partial || pod.batch) return;
    const min = ctx.settings.minPropagationSeconds;
    if (!(min > 0)) return;
    for (const lane of lanesOf(podTimeline(pod, ctx.serving))) {
      const c = lane.container;
      const h = lane.hook;
      if (!c.preStop || h.kind !== 'timed' || !h.exact) continue;
      // No sleep at all (e.g. only `nginx -s quit`) is not a short sleep; an explicit 0 is a deliberate no-op.
      if (h.seconds <= 0 || h.seconds >= min) continue;
      // Containers known not to serve (while others in the pod do) have no traffic to wait for.
      if (ctx.serving.size > 0 && !lane.serving) continue;
      const target = Math.ceil(min);
      ctx.report({
        span: c.preStop.sleepSecondsSpan ?? c.preStop.execSpan ?? c.preStop.span,
        subject: c.subject,
        message:
          `The preStop hook of ${lane.label} waits only ${formatSeconds(h.seconds)} before SIGTERM: endpoint removal takes longer to reach ` +
          `kube-proxy, DNS (5 s TTL), ingress controllers and load balancers, so requests still sent to the pod fail. ` +
          `Sleep at least ${formatSeconds(min)} (minPropagationSeconds).`,
        fix: (env) => lengthenFix(pod, c, target, env),
      });
    }
  },
};
