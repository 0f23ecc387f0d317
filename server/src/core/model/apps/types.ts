/** The shape every app reader returns. */
import type { Span } from '../../types';
import type { ContainerView } from '../workloads';

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
}

/**
 * Reads one app's shutdown timeout from a container: undefined when the container does not
 * visibly run the app, or when its timeout cannot be attributed (set in a config file the
 * manifest does not show, or through a variable with no literal value).
 */
export type AppReader = (c: ContainerView) => AppShutdown | undefined;
