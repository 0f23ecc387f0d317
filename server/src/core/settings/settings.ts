import type { SeveritySetting } from '../types';

/** Everything the analysis depends on besides the text. Front ends build it from defaults,
 * `.kube-graceful.yaml` and editor settings (see `mergeSettings`). */
export interface Settings {
  /** Target Kubernetes version, "major.minor". Decides which hook forms a fix may use. */
  readonly kubernetesVersion: string;
  /** Length of the preStop sleep that fixes insert. */
  readonly preStopSleepSeconds: number;
  /** Time the application needs after SIGTERM; fixes size the grace period as hook + this. */
  readonly shutdownSeconds: number;
  /** Below this many seconds left for the app after the hook, grace-period-too-short warns. */
  readonly minShutdownSeconds: number;
  /** A fixed preStop sleep shorter than this draws prestop-sleep-too-short. */
  readonly minPropagationSeconds: number;
  /** The minimum preStop sleep for pods an AWS NLB reaches by pod IP (target type ip). */
  readonly minSleepAwsNlbIpSeconds: number;
  /** The minimum preStop sleep for pods an AWS ALB reaches by pod IP (target type ip). */
  readonly minSleepAwsAlbIpSeconds: number;
  /** The minimum preStop sleep for pods in a GKE network endpoint group (container-native load balancing). */
  readonly minSleepGkeNegSeconds: number;
  /** The minimum preStop sleep for pods behind the Azure Application Gateway Ingress Controller. */
  readonly minSleepAzureAppGatewaySeconds: number;
  /** Extra image patterns (glob with `*`) known to ship neither `sleep` nor a shell. */
  readonly minimalImages: readonly string[];
  /** Per-rule severity; a rule absent here uses its default. */
  readonly rules: Readonly<Record<string, SeveritySetting>>;
}

export const DEFAULT_SETTINGS: Settings = {
  kubernetesVersion: '1.34',
  preStopSleepSeconds: 10,
  shutdownSeconds: 20,
  minShutdownSeconds: 5,
  minPropagationSeconds: 5,
  minSleepAwsNlbIpSeconds: 120,
  minSleepAwsAlbIpSeconds: 10,
  minSleepGkeNegSeconds: 10,
  minSleepAzureAppGatewaySeconds: 90,
  minimalImages: [],
  rules: {},
};

export type PartialSettings = {
  -readonly [K in keyof Settings]?: Settings[K];
};

/** Later layers win; `rules` and `minimalImages` are merged key by key / concatenated. */
export function mergeSettings(base: Settings, ...layers: readonly PartialSettings[]): Settings {
  let out: Settings = base;
  for (const layer of layers) {
    out = {
      kubernetesVersion: layer.kubernetesVersion ?? out.kubernetesVersion,
      preStopSleepSeconds: layer.preStopSleepSeconds ?? out.preStopSleepSeconds,
      shutdownSeconds: layer.shutdownSeconds ?? out.shutdownSeconds,
      minShutdownSeconds: layer.minShutdownSeconds ?? out.minShutdownSeconds,
      minPropagationSeconds: layer.minPropagationSeconds ?? out.minPropagationSeconds,
      minSleepAwsNlbIpSeconds: layer.minSleepAwsNlbIpSeconds ?? out.minSleepAwsNlbIpSeconds,
      minSleepAwsAlbIpSeconds: layer.minSleepAwsAlbIpSeconds ?? out.minSleepAwsAlbIpSeconds,
      minSleepGkeNegSeconds: layer.minSleepGkeNegSeconds ?? out.minSleepGkeNegSeconds,
      minSleepAzureAppGatewaySeconds: layer.minSleepAzureAppGatewaySeconds ?? out.minSleepAzureAppGatewaySeconds,
      minimalImages: [...out.minimalImages, ...(layer.minimalImages ?? [])],
      rules: { ...out.rules, ...(layer.rules ?? {}) },
    };
  }
  return out;
}

/** Parses "1.30", "v1.30", "1.30.2" into [major, minor]; undefined when it is not a version. */
export function parseKubernetesVersion(v: string): readonly [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(v.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2])];
}

/**
 * True when `version` is at least `major.minor`. An unparsable version counts as the default.
 * Whether a feature is available is a lookup in features.ts, not a comparison here.
 */
export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const v = parseKubernetesVersion(version) ?? parseKubernetesVersion(DEFAULT_SETTINGS.kubernetesVersion);
  if (!v) return false;
  return v[0] > major || (v[0] === major && v[1] >= minor);
}
