import { graceFix } from '../fixes/builders';
import type { Rule } from './types';

export const gracePeriodZero: Rule = {
  id: 'grace-period-zero',
  title: 'Grace period of zero or less',
  defaultSeverity: 'warning',
  description:
    'With terminationGracePeriodSeconds 0 the kubelet skips preStop hooks and kills the containers at once: in-flight ' +
    'requests fail and nothing can drain. A negative value draws an API warning and is treated as 1 s. Reported for pods ' +
    'that serve traffic or have a preStop hook; batch workloads and pods that serve nothing are left alone.',
  remediation: 'Set terminationGracePeriodSeconds to the longest preStop hook plus the time the app needs after SIGTERM.',
  fixable: true,
  check(pod, ctx) {
    if (pod.partial || pod.batch || !pod.grace.valid) return;
    const raw = pod.grace.raw;
    if (raw === undefined || raw > 0 || !pod.grace.span) return;
    const hasHook = [...pod.containers, ...pod.sidecars].some((c) => c.preStop !== undefined);
    if (ctx.serving.size === 0 && !hasHook) return;
    const what =
      raw === 0
        ? 'terminationGracePeriodSeconds is 0: preStop hooks do not run and the containers are killed at once'
        : `terminationGracePeriodSeconds is ${raw}: the API server treats a negative value as 1 s, too short for any hook or shutdown`;
    const why = ctx.serving.size > 0 ? ', so requests in flight fail on every rollout, scale-down and drain.' : ', so the preStop hooks here never take effect.';
    ctx.report({ span: pod.grace.span, subject: pod.subject, message: what + why, fix: (env) => graceFix(pod, env) });
  },
};
