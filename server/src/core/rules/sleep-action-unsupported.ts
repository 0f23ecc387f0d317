import { toExecSleepFix } from '../fixes/hooks';
import { minimalImage } from '../model/images';
import { containerLabel } from '../model/timing';
import { describeStages, featureOnByDefault, FEATURES, formatVersion, onByDefaultSince, versionText } from '../features';
import type { Rule } from './types';

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
    const nativeOk = featureOnByDefault('sleepAction', version);
    const zeroOk = featureOnByDefault('sleepActionZero', version);
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
          `The preStop of ${containerLabel(c)} uses the native sleep action, which needs Kubernetes ${onByDefaultSince('sleepAction') ?? ''} or later ` +
          `(${describeStages('sleepAction')}; before ${formatVersion(FEATURES.sleepAction.alpha)} the field does not exist)` +
          `${zero ? `, and ${onByDefaultSince('sleepActionZero') ?? ''} or later for \`seconds: 0\`` : ''}: ${target}, so the API server does not accept this hook.`;
      } else {
        message =
          `The preStop of ${containerLabel(c)} sleeps 0 seconds with the native sleep action, which needs Kubernetes ${onByDefaultSince('sleepActionZero') ?? ''} or later ` +
          `(${describeStages('sleepActionZero')}): ${target}, ` +
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
