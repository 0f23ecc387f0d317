import { graceFix } from '../fixes/builders';
import { longestHooks } from '../fixes/grace';
import { containerLabel, formatSeconds, longestHook } from '../model/timing';
import type { PodView } from '../model/workloads';
import type { RelatedLocation } from '../types';
import type { Rule } from './types';

/**
 * With native sidecars: the order of events from the start of termination, assuming each
 * main container and then the sidecars need `min` seconds after their SIGTERM. Undefined
 * when the grace period covers it.
 */
function sidecarTimeline(pod: PodView, min: number): { needed: number; text: string } | undefined {
  const { main, sidecar } = longestHooks(pod);
  const mainDone = main + min;
  const sidecarTerm = Math.max(mainDone, sidecar);
  const needed = sidecarTerm + min;
  if (pod.grace.seconds >= needed) return undefined;
  const mainHook = pod.containers.find((c) => (c.preStop?.duration?.seconds ?? 0) === main && main > 0);
  const only = pod.sidecars.length === 1 ? pod.sidecars[0] : undefined;
  const sidecars = only ? containerLabel(only) : `the ${pod.sidecars.length} sidecars`;
  const steps = [
    '0 s: preStop hooks start',
    mainHook ? `${formatSeconds(main)}: ${containerLabel(mainHook)} gets SIGTERM` : '0 s: the main containers get SIGTERM (no timed preStop)',
    `${formatSeconds(mainDone)}: the main containers have exited if they stop within ${formatSeconds(min)}`,
    `${formatSeconds(sidecarTerm)}: ${sidecars} ${pod.sidecars.length === 1 ? 'gets' : 'get'} SIGTERM`,
    `${formatSeconds(needed)}: ${pod.sidecars.length === 1 ? 'it has' : 'they have'} exited if ${pod.sidecars.length === 1 ? 'it stops' : 'they stop'} within ${formatSeconds(min)}`,
  ];
  return { needed, text: steps.join('; ') };
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
    const longest = longestHook(pod);
    if (!longest) return;
    const grace = pod.grace.seconds;
    const hook = longest.duration;
    const who = containerLabel(longest.container);
    const graceText = pod.grace.explicit ? `terminationGracePeriodSeconds is ${grace}` : `terminationGracePeriodSeconds is not set, so it is ${grace}`;
    const hookSpan = longest.container.preStop?.span ?? longest.container.span;
    const span = pod.grace.explicit && pod.grace.span ? pod.grace.span : hookSpan;
    const related: RelatedLocation[] = [];
    if (pod.grace.explicit && pod.grace.span) related.push({ message: `the longest preStop hook (${who}, ${formatSeconds(hook)})`, span: hookSpan });
    const fix = (env: Parameters<typeof graceFix>[1]) => graceFix(pod, env);
    if (hook.seconds >= grace) {
      const rejected =
        longest.container.preStop?.form === 'sleep' && hook.seconds > grace
          ? ' The API server rejects this object: a sleep action may not exceed the grace period.'
          : '';
      ctx.report({
        span,
        subject: pod.subject,
        severity: 'error',
        message:
          `The preStop hook of ${who} takes ${formatSeconds(hook)}, but ${graceText}: the hook is cut short and SIGTERM comes ` +
          `with 2 s left before SIGKILL, so the app cannot shut down cleanly.${rejected}`,
        related,
        fix,
      });
      return;
    }
    if (pod.sidecars.length > 0) {
      // Native sidecars get SIGTERM only after every main container has exited.
      const t = sidecarTimeline(pod, ctx.settings.minShutdownSeconds);
      if (!t) return;
      ctx.report({
        span,
        subject: pod.subject,
        severity: 'warning',
        message:
          `${graceText}, but this pod has native sidecars, which get SIGTERM only after every main container has exited. ` +
          `Timeline: ${t.text}. That needs ${formatSeconds(t.needed)}; SIGKILL comes at ${formatSeconds(grace)}.`,
        related,
        fix,
      });
      return;
    }
    const left = grace - hook.seconds;
    if (left < ctx.settings.minShutdownSeconds) {
      ctx.report({
        span,
        subject: pod.subject,
        severity: 'warning',
        message:
          `The preStop hook of ${who} takes ${formatSeconds(hook)} and ${graceText}: the app has only ${formatSeconds(left)} after ` +
          `SIGTERM before SIGKILL (minimum ${ctx.settings.minShutdownSeconds} s).`,
        related,
        fix,
      });
    }
  },
};
