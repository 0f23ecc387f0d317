import { lengthenSleepFix } from '../fixes/hooks';
import { LB_NAMES, LB_SETTING_KEYS, LB_SOURCES, lbRelated, pathMinimum } from '../model/lb';
import { lanesOf, podTimeline } from '../model/timeline';
import { formatSeconds } from '../model/timing';
import type { FixEnv, Rule } from './types';

export const prestopSleepTooShort: Rule = {
  id: 'prestop-sleep-too-short',
  title: 'preStop sleep too short for endpoint removal to propagate',
  defaultSeverity: 'info',
  description:
    'A preStop sleep exists to keep the app serving while the pod\'s removal reaches every router: kube-proxy on each node, ' +
    'CoreDNS (5 s TTL by default), ingress controllers and cloud load balancers. A sleep of a second or two ends before most ' +
    'of them have reacted, and requests still arriving after SIGTERM fail. A cloud load balancer that reaches the pod by its IP ' +
    '(AWS NLB or ALB in IP target mode, GKE network endpoint groups, Azure Application Gateway) takes its own, longer time to stop sending.',
  remediation:
    'Sleep at least `minPropagationSeconds` (default 5 s) before SIGTERM; behind a cloud load balancer that reaches pods by IP, ' +
    'at least that load balancer\'s minimum (`minSleepAwsNlbIpSeconds`, `minSleepAwsAlbIpSeconds`, `minSleepGkeNegSeconds`, `minSleepAzureAppGatewaySeconds`).',
  fixable: true,
  check(pod, ctx) {
    if (pod.partial || pod.batch || !(ctx.settings.minPropagationSeconds > 0)) return;
    const path = pathMinimum(ctx.loadBalancers, ctx.settings);
    const min = path?.seconds ?? ctx.settings.minPropagationSeconds;
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
      const span = c.preStop.sleepSecondsSpan ?? c.preStop.execSpan ?? c.preStop.span;
      const fix = (env: FixEnv) => lengthenSleepFix(pod, c, target, env);
      if (path) {
        const lb = path.lb;
        ctx.report({
          span,
          subject: c.subject,
          severity: 'warning',
          message:
            `The preStop hook of ${lane.label} waits only ${formatSeconds(h.seconds)} before SIGTERM, but ${LB_NAMES[lb.kind]} reaches the pod by its IP ` +
            `(${lb.evidence}) and keeps sending it requests until it has removed the target, which takes longer: ${LB_SOURCES[lb.kind]}. ` +
            `Sleep at least ${formatSeconds(min)} (${LB_SETTING_KEYS[lb.kind]}).`,
          related: [lbRelated(lb, 'the load balancer that reaches the pod by its IP')],
          fix,
        });
        continue;
      }
      ctx.report({
        span,
        subject: c.subject,
        message:
          `The preStop hook of ${lane.label} waits only ${formatSeconds(h.seconds)} before SIGTERM: endpoint removal takes longer to reach ` +
          `kube-proxy, DNS (5 s TTL), ingress controllers and load balancers, so requests still sent to the pod fail. ` +
          `Sleep at least ${formatSeconds(min)} (minPropagationSeconds).`,
        fix,
      });
    }
  },
};
