import { meshGraceFix } from '../fixes/hooks';
import { meshDrainsOf } from '../model/mesh';
import { podTimeline } from '../model/timeline';
import { formatSeconds } from '../model/timing';
import type { RelatedLocation } from '../types';
import type { Rule } from './types';

export const meshDrainExceedsGrace: Rule = {
  id: 'mesh-drain-exceeds-grace',
  title: 'Mesh proxy drain longer than the grace period',
  defaultSeverity: 'warning',
  description:
    'A mesh sidecar proxy drains its connections for a time of its own when the pod stops: Istio for ' +
    '`terminationDrainDuration` (default 5 s), Linkerd for up to `config.linkerd.io/shutdown-grace-period`. The kubelet ' +
    'SIGKILLs every container when terminationGracePeriodSeconds runs out, so a drain longer than that is cut short and ' +
    'the connections still open are reset.',
  remediation: 'Make terminationGracePeriodSeconds longer than the proxy drain (plus a margin), or shorten the drain to fit.',
  fixable: true,
  check(pod, ctx) {
    if (pod.partial || pod.batch || !pod.grace.valid) return;
    if (pod.grace.raw !== undefined && pod.grace.raw <= 0) return; // grace-period-zero speaks for these
    // The proxy is stopped like any container: SIGKILL when the grace period ends.
    const grace = podTimeline(pod).grace;
    for (const drain of meshDrainsOf(pod)) {
      if (drain.seconds <= grace) continue;
      const graceText = pod.grace.explicit ? `terminationGracePeriodSeconds is ${grace}` : `terminationGracePeriodSeconds is not set, so it is ${grace}`;
      const proxy = drain.mesh === 'istio' ? 'the Istio proxy drains' : 'the Linkerd proxy waits for open connections';
      const related: RelatedLocation[] = [];
      const graceSpan = pod.grace.explicit ? pod.grace.span : undefined;
      let span = drain.span ?? graceSpan ?? pod.object.kindSpan;
      if (drain.span && graceSpan) related.push({ message: 'the grace period', span: graceSpan });
      if (!drain.explicit && graceSpan) {
        // Nothing states the 5 s default: anchor on the grace period, relate the inject marker.
        span = graceSpan;
        related.length = 0;
        if (drain.span) related.push({ message: 'the Istio injection setting', span: drain.span });
      }
      ctx.report({
        span,
        subject: `${pod.subject}/${drain.mesh}`,
        message:
          `${proxy} for ${formatSeconds(drain.seconds)} (${drain.source}), but ${graceText}: the grace period wins — the kubelet ` +
          `SIGKILLs the pod at ${formatSeconds(grace)} and the connections still draining are reset.`,
        related,
        fix: (env) => meshGraceFix(pod, drain, env),
      });
    }
  },
};
