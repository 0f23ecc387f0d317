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

/** The app's shutdown timeout; without `env` nothing that lives in a ConfigMap is known. */
export function appShutdownOf(c: ContainerView, env?: AppEnv): AppShutdown | undefined {
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
