/**
 * The app shutdown readers: each reads one app's own drain timeout from a container's
 * command, args and env. Adding an app (Puma, Celery, Envoy, Caddy) is one reader file and
 * one line here. A container runs one app: the first reader that recognises it answers.
 */
import type { ContainerView } from '../workloads';
import { gunicornShutdown } from './gunicorn';
import { sidekiqShutdown } from './sidekiq';
import { springShutdown } from './spring';
import { traefikShutdown } from './traefik';
import type { AppReader, AppShutdown } from './types';
import { uvicornShutdown } from './uvicorn';

export type { AppShutdown } from './types';

export const APP_READERS: readonly AppReader[] = [gunicornShutdown, uvicornShutdown, sidekiqShutdown, traefikShutdown, springShutdown];

export function appShutdownOf(c: ContainerView): AppShutdown | undefined {
  for (const read of APP_READERS) {
    const r = read(c);
    if (r) return r;
  }
  return undefined;
}
