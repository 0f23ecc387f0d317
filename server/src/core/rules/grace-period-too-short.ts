import { graceFix } from '../fixes/builders';
import { containerLabel, formatSeconds, longestHook } from '../model/timing';
import type { RelatedLocation } from '../types';
import type { Rule } from './types';

export const gracePeriodTooShort: Rule = {
  id: 'grace-period-too-short',
  title: 'Grace period does not cover the preStop hook and shutdown',
  defaultSeverity: 'error',
  description:
    'The grace period starts counting before the preStop hook runs. When the hook takes as long as the grace period, ' +
    'the kubelet sends SIGTERM with only 2 s left before SIGKILL; when it leaves less than the app needs to finish ' +
    'in-flight requests, the app is killed mid-request. An error when the hook reaches or passes the grace period, ' +
    'a warning when the time left after it is below `minShutdownSeconds`.',
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
