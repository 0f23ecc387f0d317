/**
 * The app shutdown readers: each reads one app's own drain timeout from a container's
 * command, args and env (and the ConfigMaps the pod uses, when they are in view). Adding an
 * app (Puma, Celery, Envoy, Caddy) is one reader file and one line here. A container runs one
 * app: the first reader that recognises it answers.
 */
import { NO_CONFIG_MAPS, type ConfigMapLookup } from '../configmaps';
import type { ContainerView, PodView } from '../workloads';
import { gunicornShutdown } from './gunicorn';
import { ingressNginxShutdown } from './ingress-nginx';
import { sidekiqShutdown } from './sidekiq';
import { springShutdown } from './spring';
import { traefikShutdown } from './traefik';
import type { AppEnv, AppReader, AppShutdown } from './types';
import { uvicornShutdown } from './uvicorn';

export type { AppEnv, AppOrigin, AppShutdown } from './types';

export const APP_READERS: readonly AppReader[] = [gunicornShutdown, uvicornShutdown, sidekiqShutdown, traefikShutdown, ingressNginxShutdown, springShutdown];

interface Known {
  readonly namespace: string;
  readonly volumes: AppEnv['volumes'];
  readonly result: AppShutdown | undefined;
}

/**
 * Answers already given, per container view and ConfigMap lookup: views are read-only values and a
 * lookup does not change while it is in use (each analysis makes its own), and the rules, the
 * timeline and the fix checks ask about the same container several times.
 */
const answered = new WeakMap<ContainerView, WeakMap<object, Known>>();

/** The app's shutdown timeout; without `env` nothing that lives in a ConfigMap is known. */
export function appShutdownOf(c: ContainerView, env?: AppEnv): AppShutdown | undefined {
  if (!env) return readShutdown(c, env);
  let byLookup = answered.get(c);
  const known = byLookup?.get(env.configMaps);
  if (known && known.namespace === env.namespace && known.volumes === env.volumes) return known.result;
  const result = readShutdown(c, env);
  if (!byLookup) answered.set(c, (byLookup = new WeakMap()));
  byLookup.set(env.configMaps, { namespace: env.namespace, volumes: env.volumes, result });
  return result;
}

function readShutdown(c: ContainerView, env: AppEnv | undefined): AppShutdown | undefined {
  for (const read of APP_READERS) {
    const r = read(c, env);
    if (r) return r;
  }
  return undefined;
}

/** What the readers get for the containers of `pod`. */
export function appEnvOf(pod: PodView, configMaps: ConfigMapLookup | undefined): AppEnv {
  return { namespace: pod.object.namespace, volumes: pod.configMapVolumes, configMaps: configMaps ?? NO_CONFIG_MAPS };
}
