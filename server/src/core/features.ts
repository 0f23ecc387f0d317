/**
 * The Kubernetes features kube-graceful's advice depends on, with the release of each stage
 * and its feature gate: the one table every version decision (rules, fixes, refactorings,
 * hovers) reads. Alpha gates are off by default; beta and GA ones are on.
 */
import { DEFAULT_SETTINGS, parseKubernetesVersion } from './settings';

export type FeatureId = 'sleepAction' | 'sleepActionZero' | 'sidecarContainers' | 'stopSignals';

/** [major, minor] */
export type KubeVersion = readonly [number, number];

export interface Feature {
  readonly id: FeatureId;
  /** The feature gate that guards it while it is alpha or beta. */
  readonly gate: string;
  /** What it is, in a few words. */
  readonly title: string;
  readonly alpha: KubeVersion;
  /** Beta, on by default; undefined while it is alpha only. */
  readonly beta: KubeVersion | undefined;
  readonly ga: KubeVersion | undefined;
}

export type FeatureStage = 'absent' | 'alpha' | 'beta' | 'ga';

export const FEATURES: Readonly<Record<FeatureId, Feature>> = {
  // KEP-3960.
  sleepAction: { id: 'sleepAction', gate: 'PodLifecycleSleepAction', title: 'the native preStop sleep action', alpha: [1, 29], beta: [1, 30], ga: [1, 34] },
  // KEP-4818.
  sleepActionZero: {
    id: 'sleepActionZero',
    gate: 'PodLifecycleSleepActionAllowZero',
    title: 'a native sleep of 0 seconds',
    alpha: [1, 32],
    beta: [1, 33],
    ga: [1, 34],
  },
  // KEP-753: init containers with restartPolicy: Always.
  sidecarContainers: { id: 'sidecarContainers', gate: 'SidecarContainers', title: 'native sidecar containers', alpha: [1, 28], beta: [1, 29], ga: [1, 33] },
  // lifecycle.stopSignal (needs spec.os.name).
  stopSignals: { id: 'stopSignals', gate: 'ContainerStopSignals', title: 'lifecycle.stopSignal', alpha: [1, 33], beta: undefined, ga: undefined },
};

function atLeast(v: KubeVersion, min: KubeVersion): boolean {
  return v[0] > min[0] || (v[0] === min[0] && v[1] >= min[1]);
}

/** The version a setting names; an unparsable one counts as the default target. */
export function targetVersion(version: string): KubeVersion {
  return parseKubernetesVersion(version) ?? parseKubernetesVersion(DEFAULT_SETTINGS.kubernetesVersion) ?? [1, 34];
}

/** The feature's stage in a Kubernetes version. */
export function featureStage(id: FeatureId, version: string): FeatureStage {
  const f = FEATURES[id];
  const v = targetVersion(version);
  if (f.ga && atLeast(v, f.ga)) return 'ga';
  if (f.beta && atLeast(v, f.beta)) return 'beta';
  if (atLeast(v, f.alpha)) return 'alpha';
  return 'absent';
}

/** True when a cluster of this version has the feature without turning a gate on (beta or GA). */
export function featureOnByDefault(id: FeatureId, version: string): boolean {
  const stage = featureStage(id, version);
  return stage === 'beta' || stage === 'ga';
}

/** The first version where the feature is on by default ("1.30"); undefined while alpha only. */
export function onByDefaultSince(id: FeatureId): string | undefined {
  const f = FEATURES[id];
  const v = f.beta ?? f.ga;
  return v ? formatVersion(v) : undefined;
}

export function formatVersion(v: KubeVersion): string {
  return `${v[0]}.${v[1]}`;
}

/** "1.30" for "v1.30.2"; the default target for an unparsable version. */
export function versionText(version: string): string {
  return formatVersion(targetVersion(version));
}

/** "alpha in 1.29 behind the PodLifecycleSleepAction feature gate, off by default; beta and on by default in 1.30; GA in 1.34". */
export function describeStages(id: FeatureId): string {
  const f = FEATURES[id];
  const parts = [`alpha in ${formatVersion(f.alpha)} behind the ${f.gate} feature gate, off by default`];
  if (f.beta) parts.push(`beta and on by default in ${formatVersion(f.beta)}`);
  if (f.ga) parts.push(`GA in ${formatVersion(f.ga)}`);
  return parts.join('; ');
}
