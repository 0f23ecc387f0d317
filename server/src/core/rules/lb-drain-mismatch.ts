import { raiseDrainFix } from '../fixes/lb-drain';
import { appEnvOf, appShutdownOf } from '../model/apps';
import { LB_NAMES, type LoadBalancer } from '../model/lb';
import { containerLabel, formatSeconds } from '../model/timing';
import type { ContainerView, PodView } from '../model/workloads';
import type { RelatedLocation } from '../types';
import type { Rule, RuleContext } from './types';

function drainRelated(lb: LoadBalancer, need: number): RelatedLocation[] {
  const d = lb.drain;
  if (!d) return [];
  return [
    { message: `the draining time to raise to at least ${need} s`, span: d.span, ...(d.filePath !== undefined ? { filePath: d.filePath } : {}) },
    { message: 'the load balancer that reaches the pod by its IP', span: lb.span, ...(lb.filePath !== undefined ? { filePath: lb.filePath } : {}) },
  ];
}

function checkContainer(pod: PodView, c: ContainerView, lbs: readonly LoadBalancer[], ctx: RuleContext): void {
  const app = appShutdownOf(c, appEnvOf(pod, ctx.configMaps));
  if (!app || app.seconds === 'unbounded') return;
  const t = app.seconds;
  const hook = c.preStop?.duration?.seconds ?? 0;
  for (const lb of lbs) {
    const d = lb.drain;
    // Only a draining time that ends by closing connections cuts requests; a longer one costs nothing but cleanup time.
    if (!d || !d.closesConnections || d.seconds >= t) continue;
    const need = Math.ceil(hook + t);
    ctx.report({
      span: app.source === 'explicit' ? app.span : c.span,
      subject: c.subject,
      severity: app.source === 'explicit' ? 'warning' : 'info',
      message:
        `${LB_NAMES[lb.kind].replace(/^./, (x) => x.toUpperCase())} (${lb.evidence}) closes the connections to a removed pod ${formatSeconds(d.seconds)} ` +
        `after it starts draining it (${d.setting}), but ${containerLabel(c)} lets requests run ${formatSeconds(t)} after SIGTERM (${app.evidence}), ` +
        `and SIGTERM comes only after its preStop hook: requests still running when the draining time ends are cut by the load balancer. ` +
        `Raise the draining time to at least ${need} s (the hook plus the app's timeout).`,
      related: [...drainRelated(lb, need), ...(app.origin ? [{ ...app.origin }] : [])],
      fix: raiseDrainFix(d, need),
    });
  }
}

export const lbDrainMismatch: Rule = {
  id: 'lb-drain-mismatch',
  title: 'Load balancer draining time shorter than the app\'s shutdown',
  defaultSeverity: 'warning',
  description:
    'A cloud load balancer that reaches pods by IP keeps a removed pod\'s open connections for its draining time ' +
    '(AWS deregistration delay, GKE connection draining, Azure Application Gateway connection draining) and then closes them. ' +
    'When that time is shorter than the time the app is allowed to finish its requests, the load balancer cuts requests the pod would have completed.',
  remediation: 'Set the load balancer\'s draining time to at least the preStop sleep plus the app\'s own shutdown timeout.',
  fixable: true,
  check(pod, ctx) {
    if (pod.partial || pod.batch || ctx.loadBalancers.length === 0) return;
    const drains = ctx.loadBalancers.filter((lb) => lb.drain !== undefined);
    if (drains.length === 0) return;
    for (const c of ctx.serving.keys()) checkContainer(pod, c, drains, ctx);
  },
};
