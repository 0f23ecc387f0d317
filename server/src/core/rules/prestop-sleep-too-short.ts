import { lengthenSleepFix } from '../fixes/hooks';
import { lanesOf, podTimeline } from '../model/timeline';
import { formatSeconds } from '../model/timing';
import type { Rule } from './types';

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
        fix: (env) => lengthenSleepFix(pod, c, target, env),
      });
    }
  },
};
