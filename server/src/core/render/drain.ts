/**
 * What the pictures and texts of a timeline say about the time after SIGTERM: the app's own
 * drain timeout where the timeline's lane has one (`model/apps`, read from the container and
 * the ConfigMaps the timeline was given), else the `shutdownSeconds` setting, labelled as an
 * assumption; and the routers in front of the pod, which keep sending new requests for a while
 * after the deletion.
 */
import type { Lane } from '../model/timeline';

export interface Drain {
  /** Longest time the app drains after SIGTERM; 'unbounded' when it waits without limit. */
  readonly seconds: number | 'unbounded';
  /** 'app': read from the manifest (a value or the app's documented default); 'setting': assumed. */
  readonly from: 'app' | 'setting';
  /** For the picture: "gunicorn --graceful-timeout 60", "shutdownSeconds setting (assumed)". */
  readonly label: string;
}

/**
 * A router that keeps sending new requests to the pod until some time after the deletion.
 * The in-cluster path is the default; routers that reach pods directly (cloud load balancers)
 * come as more marks with their own times.
 */
export interface RouterMark {
  /** Short name for the picture: "in-cluster routing". */
  readonly label: string;
  /** Seconds after the deletion until it has stopped sending new requests (at least). */
  readonly seconds: number;
  /** Where the time comes from: "minPropagationSeconds". */
  readonly source: string;
}

export function laneDrain(lane: Lane, shutdownSeconds: number): Drain {
  const app = lane.app;
  if (app) {
    const what = app.evidence.startsWith(app.app) ? app.evidence : `${app.app}${app.source === 'default' ? ',' : ''} ${app.evidence}`;
    const unbounded = app.seconds === 'unbounded';
    const how = unbounded ? ': waits without limit' : app.source === 'default' ? ` (${app.seconds} s)` : '';
    return { seconds: app.seconds, from: 'app', label: `${what}${how}` };
  }
  return { seconds: shutdownSeconds, from: 'setting', label: `shutdownSeconds setting, ${shutdownSeconds} s (assumed)` };
}

/** The in-cluster path: endpoint removal reaching kube-proxy, DNS and ingress controllers. */
export function inClusterRouter(minPropagationSeconds: number): RouterMark {
  return { label: 'in-cluster routing', seconds: minPropagationSeconds, source: 'minPropagationSeconds' };
}
