/**
 * Grace-period arithmetic shared by every fix that touches the grace period. All preStop hooks
 * start together; a main container gets SIGTERM when its hook ends and needs `shutdownSeconds`
 * after it; native sidecars (init containers with `restartPolicy: Always`) get SIGTERM only once
 * every main container has exited (and their own hook has ended), and then need their own
 * share, `minShutdownSeconds`: a proxy or log shipper usually stops faster than the app, and it
 * is the margin grace-period-too-short asks for anyway.
 */
import { appEnvOf, appShutdownOf } from '../model/apps';
import type { ConfigMapLookup } from '../model/configmaps';
import type { ContainerView, PodView } from '../model/workloads';
import type { Settings } from '../settings';

export interface HookOverride {
  readonly container: ContainerView;
  /** The hook's duration after the edit being built. */
  readonly seconds: number;
}

type Overrides = HookOverride | readonly HookOverride[] | undefined;

function hookSeconds(c: ContainerView, overrides: Overrides): number {
  const list: readonly HookOverride[] = overrides === undefined ? [] : 'container' in overrides ? [overrides] : overrides;
  const o = list.find((x) => x.container === c);
  if (o) return o.seconds;
  return c.preStop?.duration?.seconds ?? 0;
}

/** The longest known main-container hook and the longest known sidecar hook, in seconds. */
export function longestHooks(pod: PodView, override?: Overrides): { main: number; sidecar: number } {
  let main = 0;
  let sidecar = 0;
  for (const c of pod.containers) main = Math.max(main, hookSeconds(c, override));
  for (const c of pod.sidecars) sidecar = Math.max(sidecar, hookSeconds(c, override));
  return { main, sidecar };
}

/**
 * Seconds a container needs after its SIGTERM: `fallback`, or, when the manifest shows the
 * app's own shutdown timeout (model/apps), that timeout plus `minShutdownSeconds` if longer.
 */
export function shutdownNeedOf(c: ContainerView, settings: Settings, fallback: number, pod?: PodView, configMaps?: ConfigMapLookup): number {
  const app = appShutdownOf(c, pod && appEnvOf(pod, configMaps));
  if (!app || app.seconds === 'unbounded') return fallback;
  return Math.max(fallback, Math.ceil(app.seconds) + settings.minShutdownSeconds);
}

/**
 * Seconds the grace period needs: without sidecars the longest hook + shutdownSeconds; with
 * sidecars max(longest main hook + shutdownSeconds, longest sidecar hook) + minShutdownSeconds.
 * A container whose app's own shutdown timeout is known gets that timeout + minShutdownSeconds
 * instead of its share when it is longer.
 */
export function requiredGraceFor(pod: PodView, settings: Settings, override?: Overrides, configMaps?: ConfigMapLookup): number {
  let mainDone = settings.shutdownSeconds;
  for (const c of pod.containers) mainDone = Math.max(mainDone, Math.ceil(hookSeconds(c, override)) + shutdownNeedOf(c, settings, settings.shutdownSeconds, pod, configMaps));
  if (pod.sidecars.length === 0) return mainDone;
  let sidecarHook = 0;
  let sidecarShare = settings.minShutdownSeconds;
  for (const c of pod.sidecars) {
    sidecarHook = Math.max(sidecarHook, Math.ceil(hookSeconds(c, override)));
    sidecarShare = Math.max(sidecarShare, shutdownNeedOf(c, settings, settings.minShutdownSeconds, pod, configMaps));
  }
  return Math.max(mainDone, sidecarHook) + sidecarShare;
}
