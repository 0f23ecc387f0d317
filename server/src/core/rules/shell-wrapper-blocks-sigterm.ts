import { execPrefixFix } from '../fixes/hooks';
import { containerLabelCapitalized } from '../model/timing';
import { shellWrapperOf, wrapperVerdict } from '../model/wrappers';
import type { FixEnv, Rule } from './types';

export const shellWrapperBlocksSigterm: Rule = {
  id: 'shell-wrapper-blocks-sigterm',
  title: 'Shell wrapper keeps SIGTERM from the app',
  defaultSeverity: 'warning',
  description:
    'The kubelet sends SIGTERM to PID 1 of the container. When `command` is a shell script that runs several commands and ' +
    'starts the app last without `exec`, the shell may stay PID 1 (dash, the /bin/sh of Debian and Ubuntu, and bash before ' +
    '5.1 do): it ignores SIGTERM and does not pass it on, so the app never shuts down cleanly and is SIGKILLed when the ' +
    'grace period ends.',
  remediation: 'Start the long-running command with `exec` (e.g. `mkdir -p /data && exec nginx -g "daemon off;"`) so that it replaces the shell.',
  fixable: true,
  check(pod, ctx) {
    if (pod.partial || pod.batch) return;
    for (const c of [...pod.containers, ...pod.sidecars]) {
      const w = shellWrapperOf(c);
      if (!w) continue;
      const v = wrapperVerdict(w.script);
      if (!v.blocks) continue;
      const span = (w.in === 'command' ? c.commandSpan : c.argsSpan) ?? c.span;
      const start = v.last.start;
      ctx.report({
        span,
        subject: c.subject,
        message:
          `${containerLabelCapitalized(c)} runs \`${v.name}\` as the last of ${v.commandCount} commands of a \`${w.shell} -c\` script, without \`exec\`: ` +
          'unless the image\'s shell replaces itself with that last command (bash 5.1+ and BusyBox ash do; dash, /bin/sh on Debian and ' +
          `Ubuntu, and older bash do not), the shell stays PID 1, ignores SIGTERM and does not pass it on, so \`${v.name}\` is SIGKILLed ` +
          'when the grace period ends.',
        ...(v.prefixable ? { fix: (env: FixEnv) => execPrefixFix(pod, c, start, env) } : {}),
      });
    }
  },
};
