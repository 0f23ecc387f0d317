import { nativeSleepSupported, setGraceEdit } from '../fixes/builders';
import { requiredGraceFor } from '../fixes/grace';
import { execToNativeEdit } from '../fixes/sleep-forms';
import { minimalImage } from '../model/images';
import { basename } from '../model/shell';
import { execNeedsShell, execNeedsSleep, plainExecSleep } from '../model/sleeps';
import { containerLabel } from '../model/timing';
import type { TextEdit } from '../types';
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
          if (!nativeSleepSupported(env.settings)) return undefined;
          const plain = plainExecSleep(argv);
          if (!plain) return undefined;
          const edit = execToNativeEdit(pod, c, plain, env);
          if (!edit) return undefined;
          const edits: TextEdit[] = [edit];
          // The API server rejects a sleep action longer than the grace period.
          if (plain.seconds > pod.grace.seconds || !pod.grace.valid) {
            if (!pod.grace.valid) return undefined;
            const g = setGraceEdit(pod, requiredGraceFor(pod, env.settings, { container: c, seconds: plain.seconds }), env);
            if (!g) return undefined;
            edits.push(g);
          }
          return { title: `Convert to the native sleep action of ${plain.seconds} s`, edits };
        },
      });
    }
  },
};
