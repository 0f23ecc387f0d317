import { nginxImage } from '../model/images';
import { basename, commandWords, parseShell, shellScriptOf } from '../model/shell';
import { containerLabelCapitalized } from '../model/timing';
import type { PreStopView } from '../model/workloads';
import type { Rule } from './types';

function isNginxQuit(words: readonly string[]): boolean {
  const name = basename(words[0] ?? '');
  if (name !== 'nginx' && name !== 'openresty') return false;
  const i = words.indexOf('-s');
  return i !== -1 && words[i + 1] === 'quit';
}

/** The hook runs `nginx -s quit` (directly or in a shell script). */
export function hookQuitsNginx(p: PreStopView | undefined): boolean {
  const argv = p?.execCommand;
  if (!p || p.form !== 'exec' || !argv) return false;
  if (isNginxQuit(argv)) return true;
  const sh = shellScriptOf(argv);
  if (!sh) return false;
  const parsed = parseShell(sh.script);
  if (parsed.complex) {
    // Loops such as the Kubernetes docs' `nginx -s quit; while killall -0 nginx; do sleep 1; done`.
    return /(^|[\s;&|/])nginx\s+-s\s+quit\b/.test(sh.script) || /(^|[\s;&|/])openresty\s+-s\s+quit\b/.test(sh.script);
  }
  return parsed.commands.some((c) => isNginxQuit(commandWords(c).map((w) => w.value)));
}

export const nginxSigtermFastShutdown: Rule = {
  id: 'nginx-sigterm-fast-shutdown',
  title: 'nginx stopped with SIGTERM drops open connections',
  defaultSeverity: 'info',
  description:
    'nginx treats SIGTERM as "fast shutdown": it closes open connections at once. Only SIGQUIT makes it finish the requests ' +
    'in flight. Container runtimes send the image\'s STOPSIGNAL instead of SIGTERM, and current official nginx images set ' +
    'SIGQUIT, but older tags (before 1.19.5) and older bitnami/nginx builds do not.',
  remediation:
    'Use an image that sets `STOPSIGNAL SIGQUIT` (official nginx 1.19.5 or later), or a preStop hook that runs `nginx -s quit` and waits ' +
    'for nginx to exit, or `lifecycle.stopSignal: SIGQUIT` (Kubernetes 1.33+, ContainerStopSignals).',
  fixable: false,
  check(pod, ctx) {
    if (pod.partial || pod.batch) return;
    for (const c of [...pod.containers, ...pod.sidecars]) {
      const img = nginxImage(c.image);
      if (!img || !img.stopsWithSigterm) continue;
      if (c.stopSignal === 'SIGQUIT') continue;
      if (hookQuitsNginx(c.preStop)) continue;
      ctx.report({
        span: c.imageSpan ?? c.span,
        subject: c.subject,
        message:
          `${containerLabelCapitalized(c)} runs nginx from "${c.image ?? ''}", which stops with SIGTERM (${img.why}): nginx treats SIGTERM as fast ` +
          'shutdown and drops the connections still open. Use a newer image, or a preStop that runs `nginx -s quit` and waits for ' +
          'nginx to exit, or `lifecycle.stopSignal: SIGQUIT` (1.33+).',
      });
    }
  },
};
