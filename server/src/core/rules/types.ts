import type { Settings } from '../settings';
import type { ServingReason } from '../model/serving';
import type { LoadBalancer } from '../model/lb';
import type { ConfigMapLookup } from '../model/configmaps';
import type { ContainerView, PodView } from '../model/workloads';
import type { RelatedLocation, Severity, Span } from '../types';
import type { FixBuilder } from '../fixes/types';

export type { FixBuilder, FixEnv } from '../fixes/types';

export interface Report {
  readonly span: Span;
  readonly message: string;
  /** The subject the finding is about: a container's or the pod's `subject`. */
  readonly subject: string;
  /** Overrides the rule's default severity for this finding (e.g. error vs warning tiers). */
  readonly severity?: Severity;
  readonly related?: readonly RelatedLocation[];
  readonly fix?: FixBuilder;
}

export interface RuleContext {
  readonly settings: Settings;
  /** Serving containers of the pod under check, with the reason. */
  readonly serving: ReadonlyMap<ContainerView, ServingReason>;
  /** Cloud load balancers that reach the pod by its IP, through the Services that select it (model/lb.ts). */
  readonly loadBalancers: readonly LoadBalancer[];
  /** The ConfigMaps in view (the file's own and the others'), for app settings that live in them. */
  readonly configMaps: ConfigMapLookup;
  report(r: Report): void;
}

export interface RuleMeta {
  /** kebab-case, never renamed: users write it in config and comments. */
  readonly id: string;
  readonly title: string;
  readonly defaultSeverity: Severity;
  /** The failure mode in plain words. */
  readonly description: string;
  /** What to do; ends with a period. */
  readonly remediation: string;
  readonly fixable: boolean;
}

export interface Rule extends RuleMeta {
  check(pod: PodView, ctx: RuleContext): void;
}

export const DOCS_BASE = 'https://github.com/kube-graceful/kube-graceful/blob/main/server/docs/rules/';

export function docsUrl(id: string): string {
  return `${DOCS_BASE}${id}.md`;
}
