import { graceFix, setGraceEdit } from '../fixes/builders';
import { requiredGraceFor } from '../fixes/grace';
import { basename } from '../model/shell';
import type { PodView } from '../model/workloads';
import type { BuiltFix } from '../fixes/types';
import type { FixEnv, Rule } from './types';

/**
 * Grace periods documented by a component for a hook of its own whose length cannot be read:
 * ingress-nginx's `/wait-shutdown` waits until nginx has drained (worker-shutdown-timeout
 * 240 s), and its chart sets 300 s.
 */
function documentedGrace(pod: PodView): { seconds: number; why: string } | undefined {
  for (const c of [...pod.containers, ...pod.sidecars]) {
    const argv = c.preStop?.execCommand;
    if (argv?.length === 1 && basename(argv[0] ?? '') === 'wait-shutdown') {
      return { seconds: 300, why: "ingress-nginx's documented grace period for its /wait-shutdown hook" };
    }
  }
  return undefined;
}

/**
 * The grace period a pod with grace 0 needs. A hook of unknown length: the component's
 * documented grace where known, else the configured preStop sleep + shutdown, and the title
 * says which and why.
 */
function zeroGraceFix(pod: PodView, env: FixEnv): BuiltFix | undefined {
  const hooks = [...pod.containers, ...pod.sidecars].filter((c) => c.preStop !== undefined);
  if (hooks.every((c) => c.preStop?.duration !== undefined)) return graceFix(pod, env);
  const documented = documentedGrace(pod);
  const { preStopSleepSeconds: hook, shutdownSeconds: shutdown } = env.settings;
  const seconds = documented?.seconds ?? Math.max(requiredGraceFor(pod, env.settings, undefined, env.configMaps), hook + shutdown);
  const edit = setGraceEdit(pod, seconds, env);
  if (!edit) return undefined;
  const why = documented?.why ?? `the hook's length is unknown: ${hook} s assumed for it + ${shutdown} s shutdown, from settings`;
  return { title: `Set terminationGracePeriodSeconds to ${seconds} (${why})`, edits: [edit], touches: [pod.grace.target] };
}

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
    ctx.report({ span: pod.grace.span, subject: pod.subject, message: what + why, fix: (env) => zeroGraceFix(pod, env) });
  },
};
