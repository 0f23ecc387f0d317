import { addPreStopFix } from '../fixes/builders';
import { LB_NAMES, LB_SETTING_KEYS, lbRelated, pathMinimum } from '../model/lb';
import { describeReason } from '../model/serving';
import { formatSeconds } from '../model/timing';
import { containerLabelCapitalized } from '../model/timing';
import type { RelatedLocation } from '../types';
import type { Rule } from './types';

export const prestopHookMissing: Rule = {
  id: 'prestop-hook-missing',
  title: 'Serving container without a preStop hook',
  defaultSeverity: 'warning',
  description:
    'When a pod is deleted, its removal from Service endpoints and the SIGTERM to its containers start at the same time. ' +
    'kube-proxy, DNS, ingress controllers and cloud load balancers keep sending requests for a few seconds; a container ' +
    'that stops on SIGTERM right away refuses them.',
  remediation:
    'Add a preStop hook that sleeps long enough for every router to drop the pod (the native sleep action from Kubernetes 1.30, ' +
    'else exec sleep), and make terminationGracePeriodSeconds cover the sleep plus the app\'s own shutdown.',
  fixable: true,
  check(pod, ctx) {
    if (pod.partial) return;
    const path = pathMinimum(ctx.loadBalancers, ctx.settings);
    for (const [c, reason] of ctx.serving) {
      if (c.preStop) continue;
      const related: RelatedLocation[] = [];
      if (reason.kind === 'service') {
        related.push({
          message: `Service "${reason.service.name ?? '?'}" selects this pod`,
          span: reason.service.span,
          ...(reason.service.filePath !== undefined ? { filePath: reason.service.filePath } : {}),
        });
      } else {
        related.push({ message: 'the port that receives traffic', span: reason.port.span });
      }
      if (path) related.push(lbRelated(path.lb, 'the load balancer that reaches the pod by its IP'));
      const lbNote = path
        ? ` ${LB_NAMES[path.lb.kind].replace(/^./, (x) => x.toUpperCase())} reaches it by its IP (${path.lb.evidence}): the sleep must last at least ${formatSeconds(path.seconds)} (${LB_SETTING_KEYS[path.lb.kind]}).`
        : '';
      ctx.report({
        span: c.span,
        subject: c.subject,
        message:
          `${containerLabelCapitalized(c)} has no preStop hook, but ${describeReason(reason)}: on rollout, scale-down or drain it gets SIGTERM ` +
          `while endpoints still route requests to it, and those requests fail.${lbNote}`,
        related,
        fix: (env) => addPreStopFix(pod, c, env, path?.seconds ?? 0),
      });
    }
  },
};
