/**
 * ingress-nginx: on SIGTERM the controller sleeps `--shutdown-grace-period` seconds (default
 * 0) while nginx keeps serving, then stops nginx gracefully (`nginx -s quit`); nginx's old
 * workers finish open requests for up to `worker-shutdown-timeout` (a key of the ConfigMap
 * named by `--configmap=<namespace>/<name>`, default "240s"). The controller then sleeps
 * `--post-shutdown-grace-period` (default 10) before it exits, with nginx already gone: that
 * last sleep serves no request and is not counted. `$(POD_NAMESPACE)` in the flag is expanded
 * from an env variable whose value is the pod's `metadata.namespace`.
 * Source: ingress-nginx docs/user-guide/nginx-configuration/configmap.md (worker-shutdown-timeout),
 * pkg/flags/flags.go, internal/ingress/controller/nginx.go (Stop), pkg/util/process/sigterm.go.
 */
import type { Span } from '../../types';
import { parseImageRef } from '../images';
import type { ContainerView } from '../workloads';
import { argvOf, flagValue, launchOfProgram, parseIntSeconds, type ArgWord } from './launch';
import { parseTraefikDuration } from './traefik';
import type { AppEnv, AppOrigin, AppShutdown } from './types';

export const INGRESS_NGINX_DEFAULT_WORKER_SHUTDOWN_TIMEOUT = 240;
const KEY = 'worker-shutdown-timeout';

/** The controller's options: after `/nginx-ingress-controller`, or all of argv for the controller image run with options only. */
function controllerArgs(c: ContainerView): { args: readonly ArgWord[]; span: Span } | undefined {
  const launch = launchOfProgram(c, new Set(['nginx-ingress-controller']));
  if (launch) return { args: launch.args, span: launch.span };
  if (c.command !== undefined || c.commandSpan !== undefined) return undefined;
  const ref = parseImageRef(c.image ?? '');
  if (!ref || !/(^|\/)ingress-nginx\/controller(-chroot)?$/.test(ref.repository)) return undefined;
  const argv = argvOf(c) ?? [];
  if (argv.some((w) => !w.value.startsWith('-'))) return undefined;
  return { args: argv, span: c.imageSpan ?? c.span };
}

/** `$(VAR)` left in a word because VAR has no literal value: expanded when VAR is the pod's namespace. */
function expandNamespace(c: ContainerView, value: string, env: AppEnv): string | undefined {
  let unknown = false;
  const out = value.replace(/\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (_m, name: string) => {
    const v = [...c.env].reverse().find((e) => e.name === name);
    if (v?.fieldPath === 'metadata.namespace') return env.namespace;
    unknown = true;
    return '';
  });
  return unknown ? undefined : out;
}

interface WorkerTimeout {
  readonly seconds: number;
  readonly source: 'explicit' | 'default';
  readonly text: string;
  readonly origin?: AppOrigin;
}

/** worker-shutdown-timeout from the named ConfigMap; undefined when it cannot be known. */
function workerTimeout(c: ContainerView, args: readonly ArgWord[], env: AppEnv | undefined): WorkerTimeout | undefined {
  const flag = flagValue(args, ['--configmap']);
  const dflt = `ingress-nginx's default ${KEY} (${INGRESS_NGINX_DEFAULT_WORKER_SHUTDOWN_TIMEOUT} s)`;
  if (!flag) return { seconds: INGRESS_NGINX_DEFAULT_WORKER_SHUTDOWN_TIMEOUT, source: 'default', text: dflt };
  if (!env) return undefined;
  const ref = flag.dynamic ? expandNamespace(c, flag.value, env) : flag.value;
  const slash = ref?.indexOf('/') ?? -1;
  if (ref === undefined || slash <= 0 || slash === ref.length - 1) return undefined;
  const ns = ref.slice(0, slash);
  const name = ref.slice(slash + 1);
  const cm = env.configMaps.get(ns, name);
  if (!cm) return undefined; // the ConfigMap is not in view: its keys are unknown
  const where = `ConfigMap ${ns}/${name}`;
  const entry = cm.data.get(KEY);
  if (!entry) {
    return { seconds: INGRESS_NGINX_DEFAULT_WORKER_SHUTDOWN_TIMEOUT, source: 'default', text: `${dflt}, not set in ${where}`, origin: { message: `${where}, which does not set ${KEY}`, span: cm.span, ...(cm.filePath !== undefined ? { filePath: cm.filePath } : {}) } };
  }
  const seconds = entry.value === undefined ? undefined : parseTraefikDuration(entry.value);
  if (seconds === undefined) return undefined;
  const origin = { message: `${KEY} in ${where}`, span: entry.span, ...(cm.filePath !== undefined ? { filePath: cm.filePath } : {}) };
  return { seconds, source: 'explicit', text: `${KEY}: ${entry.value ?? ''} in ${where}`, origin };
}

export function ingressNginxShutdown(c: ContainerView, env?: AppEnv): AppShutdown | undefined {
  const found = controllerArgs(c);
  if (!found) return undefined;
  const sleep = flagValue(found.args, ['--shutdown-grace-period']);
  const sleepSeconds = sleep ? (sleep.dynamic ? undefined : parseIntSeconds(sleep.value)) : 0;
  if (sleepSeconds === undefined) return undefined;
  const worker = workerTimeout(c, found.args, env);
  if (!worker) return undefined;
  const configFlag = flagValue(found.args, ['--configmap']);
  const seconds = sleepSeconds + worker.seconds;
  const origin = worker.origin ? { origin: worker.origin } : {};
  if (worker.source === 'default' && !sleep) {
    return { app: 'ingress-nginx', seconds, source: 'default', span: found.span, evidence: worker.text, ...origin };
  }
  const parts = sleep ? [`${sleep.flag} ${sleep.value}`, worker.text] : [worker.text];
  // A value in a ConfigMap is reported where the pod names the ConfigMap; the ConfigMap line is related.
  const span = worker.source === 'explicit' && configFlag ? configFlag.span : (sleep?.span ?? found.span);
  return { app: 'ingress-nginx', seconds, source: 'explicit', span, evidence: parts.join(' then '), ...origin };
}
