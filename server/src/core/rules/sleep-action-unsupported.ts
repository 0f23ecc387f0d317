import { toExecSleepFix } from '../fixes/hooks';
import { minimalImage } from '../model/images';
import { containerLabel } from '../model/timing';
import { parseKubernetesVersion, DEFAULT_SETTINGS, versionAtLeast } from '../settings';
import type { Rule } from './types';

function versionText(v: string): string {
  const p = parseKubernetesVersion(v) ?? parseKubernetesVersion(DEFAULT_SETTINGS.kubernetesVersion);
  return p ? `${p[0]}.${p[1]}` : v;
}

export const sleepActionUnsupported: Rule = {
  id: 'sleep-action-unsupported',
  title: 'Native sleep action not available in the target Kubernetes version',
  defaultSeverity: 'error',
  description:
    'The native `sleep` preStop action is on by default from Kubernetes 1.30 (beta; alpha and off by default in 1.29, ' +
    'absent before), and `seconds: 0` only from 1.33. On an older cluster the API server does not accept the hook, ' +
    'so the workload cannot be applied, or loses its delay.',
  remediation:
    'Use an exec sleep (`exec: {command: ["sleep", "N"]}`) for clusters older than 1.30, or raise `kubernetesVersion` if the cluster is newer.',
  fixable: true,
  check(pod, ctx) {
    if (pod.partial) return;
    const version = ctx.settings.kubernetesVersion;
    const nativeOk = versionAtLeast(version, 1, 30);
    const zeroOk = versionAtLeast(version, 1, 33);
    if (nativeOk && zeroOk) return;
    for (const c of [...pod.containers, ...pod.sidecars]) {
      const p = c.preStop;
      if (!p || p.form !== 'sleep') continue;
      const zero = p.sleepSeconds === 0;
      if (nativeOk && !zero) continue;
      const target = `the target version is ${versionText(version)}`;
      let message: string;
      if (!nativeOk) {
        message =
          `The preStop of ${containerLabel(c)} uses the native sleep action, which needs Kubernetes 1.30 or later ` +
          `(beta, on by default; in 1.29 it is alpha behind the PodLifecycleSleepAction feature gate, off by default; before 1.29 the field does not exist)` +
          `${zero ? ', and 1.33 or later for `seconds: 0`' : ''}: ${target}, so the API server does not accept this hook.`;
      } else {
        message =
          `The preStop of ${containerLabel(c)} sleeps 0 seconds with the native sleep action, which needs Kubernetes 1.33 or later ` +
          `(PodLifecycleSleepActionAllowZero: alpha and off by default in 1.32, beta and on in 1.33, GA in 1.34): ${target}, ` +
          'where the API server requires at least 1 second.';
      }
      const span = !nativeOk ? p.span : (p.sleepSecondsSpan ?? p.span);
      ctx.report({
        span,
        subject: c.subject,
        message,
        fix: (env) => (minimalImage(c.image, env.settings) ? undefined : toExecSleepFix(pod, c, env)),
      });
    }
  },
};
