/** The shape every app reader returns. */
import type { Span } from '../../types';
import type { ConfigMapLookup, ConfigMapVolume } from '../configmaps';
import type { ContainerView } from '../workloads';

/** Where a value read from a ConfigMap is written: the related location of a finding about it. */
export interface AppOrigin {
  readonly message: string;
  readonly span: Span;
  readonly filePath?: string;
}

/** What a reader may look at besides the container: the pod's namespace and ConfigMap volumes, and the ConfigMaps in view. */
export interface AppEnv {
  /** The pod's namespace ('' when not written). */
  readonly namespace: string;
  readonly volumes: readonly ConfigMapVolume[];
  readonly configMaps: ConfigMapLookup;
}

export interface AppShutdown {
  /** The app, for messages: "gunicorn", "Spring Boot". */
  readonly app: string;
  /** Longest time the app keeps draining after SIGTERM; 'unbounded' when it waits without limit. */
  readonly seconds: number | 'unbounded';
  /** 'explicit' when the manifest writes the value; 'default' when it is the app's documented default. */
  readonly source: 'explicit' | 'default';
  /** Where the value is written, or (for a default) where the app is named. */
  readonly span: Span;
  /** What says so, for messages: "--graceful-timeout 60", "gunicorn's default --graceful-timeout (30 s)". */
  readonly evidence: string;
  /** When the value (or the fact that none is set) comes from a ConfigMap: the place in the ConfigMap. */
  readonly origin?: AppOrigin;
}

/**
 * Reads one app's shutdown timeout from a container: undefined when the container does not
 * visibly run the app, or when its timeout cannot be attributed (set in a config file the
 * manifest does not show, or through a variable with no literal value).
 */
export type AppReader = (c: ContainerView, env?: AppEnv) => AppShutdown | undefined;
