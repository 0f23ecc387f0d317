import { toNativeSleepFix } from '../fixes/hooks';
import { minimalImage } from '../model/images';
import { basename } from '../model/shell';
import { execNeedsShell, execNeedsSleep, plainExecSleep } from '../model/sleeps';
import { containerLabel } from '../model/timing';
import type { Rule } from './types';

export const prestopExecInMinimalImage: Rule = {
  id: 'prestop-exec-in-minimal-image',
  title: 'exec preStop hook needs a binary the image does not have',
  defaultSeverity: 'warning',
  description:
    'An exec hook runs inside the container image. Distroless, scratch-based and Chainguard images ship neither `sleep` ' +
    'nor a shell, so a hook such as `["sleep", "10"]` or `["sh", "-c", "…"]` fails at once: the kubelet logs a ' +
    'FailedPreStopHook event and sends SIGTERM right away, and the pod gets no protection at all.',
  remediation:
    'Use the native sleep action (`sleep: {seconds: N}`, Kubernetes 1.30+), which runs in the kubelet, or an httpGet hook ' +
    'served by the app, or a binary the image ships.',
  fixable: true,
  check(pod, ctx) {
    if (pod.partial) return;
    for (const c of [...pod.containers, ...pod.sidecars]) {
      const p = c.preStop;
      const argv = p?.execCommand;
      if (!p || p.form !== 'exec' || !argv || argv.length === 0) continue;
      const needsSleep = execNeedsSleep(argv);
      const needsShell = execNeedsShell(argv);
      if (!needsSleep && !needsShell) continue;
      const minimal = minimalImage(c.image, ctx.settings);
      if (!minimal) continue;
      const binary = basename(argv[0] ?? '');
      const what = needsSleep ? `\`${binary}\`` : `a shell (\`${binary}\`)`;
      ctx.report({
        span: p.execSpan ?? p.span,
        subject: c.subject,
        message:
          `The preStop hook of ${containerLabel(c)} runs ${what}, but its image "${c.image ?? ''}" is ${minimal.what}, which ships ` +
          'neither `sleep` nor a shell: the hook fails at once and SIGTERM comes without any delay.',
        fix: (env) => {
          const plain = plainExecSleep(argv);
          return plain ? toNativeSleepFix(pod, c, plain, env) : undefined;
        },
      });
    }
  },
};
