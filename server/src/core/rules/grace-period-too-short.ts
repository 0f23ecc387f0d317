import { graceFix } from '../fixes/builders';
import { longestTimedLane, podTimeline, projectSidecarShutdown, type PodTimeline } from '../model/timeline';
import { formatSeconds } from '../model/timing';
import type { RelatedLocation } from '../types';
import type { Rule } from './types';

/**
 * With native sidecars: the order of events from the start of termination (from the pod's
 * timeline), assuming the main containers and then the sidecars each need `min` seconds after
 * their SIGTERM. Undefined when the grace period covers it.
 */
function sidecarTimeline(t: PodTimeline, min: number): { needed: number; text: string } | undefined {
  const p = projectSidecarShutdown(t, min);
  if (t.grace >= p.end) return undefined;
  const only = t.sidecars.length === 1 ? t.sidecars[0] : undefined;
  const sidecars = only ? only.label : `the ${t.sidecars.length} sidecars (${t.sidecars.map((l) => l.label).join(', then ')})`;
  const mainHook = p.mainHook > 0 ? p.mainLane : undefined;
  const steps = [
    '0 s: preStop hooks start',
    mainHook ? `${formatSeconds(p.mainHook)}: ${mainHook.label} gets SIGTERM` : '0 s: the main containers get SIGTERM (no timed preStop)',
    `${formatSeconds(p.mainExit)}: the main containers have exited if they stop within ${formatSeconds(min)}`,
    `${formatSeconds(p.sidecarTerm)}: ${sidecars} ${t.sidecars.length === 1 ? 'gets' : 'get'} SIGTERM`,
    `${formatSeconds(p.end)}: ${t.sidecars.length === 1 ? 'it has' : 'they have'} exited if ${t.sidecars.length === 1 ? 'it stops' : 'they stop'} within ${formatSeconds(min)}`,
  ];
  return { needed: p.end, text: steps.join('; ') };
}

export const gracePeriodTooShort: Rule = {
  id: 'grace-period-too-short',
  title: 'Grace period does not cover the preStop hook and shutdown',
  defaultSeverity: 'error',
  description:
    'The grace period starts counting before the preStop hook runs. When the hook takes as long as the grace period, ' +
    'the kubelet sends SIGTERM with only 2 s left before SIGKILL; when it leaves less than the app needs to finish ' +
    'in-flight requests, the app is killed mid-request. An error when the hook reaches or passes the grace period, ' +
    'a warning when the time left after it is below `minShutdownSeconds`. Native sidecars get SIGTERM only after every ' +
    'main container has exited, so with sidecars the grace period must also leave them their share after that.',
  remediation: 'Set terminationGracePeriodSeconds to at least the longest preStop hook plus the time the app needs after SIGTERM.',
  fixable: true,
  check(pod, ctx) {
    if (pod.partial || !pod.grace.valid) return;
    if (pod.grace.raw !== undefined && pod.grace.raw <= 0) return; // grace-period-zero speaks for these
    const t = podTimeline(pod, ctx.serving);
    const longest = longestTimedLane(t);
    if (!longest) return;
    const grace = t.grace;
    const hook = { seconds: longest.hook.seconds, exact: longest.hook.exact };
    const who = longest.label;
    const graceText = pod.grace.explicit ? `terminationGracePeriodSeconds is ${grace}` : `terminationGracePeriodSeconds is not set, so it is ${grace}`;
    const hookSpan = longest.container.preStop?.span ?? longest.container.span;
    const span = pod.grace.explicit && pod.grace.span ? pod.grace.span : hookSpan;
    const related: RelatedLocation[] = [];
    if (pod.grace.explicit && pod.grace.span) related.push({ message: `the longest preStop hook (${who}, ${formatSeconds(hook)})`, span: hookSpan });
    const fix = (env: Parameters<typeof graceFix>[1]) => graceFix(pod, env);
    if (longest.hook.cutShort) {
      const rejected =
        longest.hook.form === 'sleep' && hook.seconds > grace ? ' The API server rejects this object: a sleep action may not exceed the grace period.' : '';
      ctx.report({
        span,
        subject: pod.subject,
        severity: 'error',
        message:
          `The preStop hook of ${who} takes ${formatSeconds(hook)}, but ${graceText}: the hook is cut short at ${formatSeconds(grace)} and SIGTERM comes ` +
          `with ${formatSeconds(longest.sigkill - grace)} left before SIGKILL (at ${formatSeconds(longest.sigkill)}), so the app cannot shut down cleanly.${rejected}`,
        related,
        fix,
      });
      return;
    }
    if (t.sidecars.length > 0) {
      // Native sidecars get SIGTERM only after every main container has exited.
      const s = sidecarTimeline(t, ctx.settings.minShutdownSeconds);
      if (!s) return;
      ctx.report({
        span,
        subject: pod.subject,
        severity: 'warning',
        message:
          `${graceText}, but this pod has native sidecars, which get SIGTERM only after every main container has exited. ` +
          `Timeline: ${s.text}. That needs ${formatSeconds(s.needed)}; SIGKILL comes at ${formatSeconds(grace)}.`,
        related,
        fix,
      });
      return;
    }
    const budget = longest.budget;
    if (budget && budget.seconds < ctx.settings.minShutdownSeconds) {
      const floor = longest.extension === 'applied' ? ' (the kubelet\'s 2 s floor)' : '';
      ctx.report({
        span,
        subject: pod.subject,
        severity: 'warning',
        message:
          `The preStop hook of ${who} takes ${formatSeconds(hook)} and ${graceText}: the app has only ${formatSeconds(budget.seconds)}${floor} after ` +
          `SIGTERM before SIGKILL (minimum ${ctx.settings.minShutdownSeconds} s).`,
        related,
        fix,
      });
    }
  },
};
