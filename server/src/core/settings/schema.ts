/**
 * The one description of every setting: its type and bounds, default, documentation, scope,
 * where it may be written and, for a threshold that belongs to one rule, that rule. The
 * validators of editor settings and of `.kube-graceful.yaml`, the extension manifest's
 * `contributes.configuration`, the JSON Schema of `.kube-graceful.yaml` and the README's
 * settings table are all derived from this list (see `validate.ts` and `generate.ts`).
 */
import type { SeveritySetting } from '../types';
import { DEFAULT_SETTINGS } from './settings';

/** Seconds are whole numbers in Kubernetes (`terminationGracePeriodSeconds`, `sleep.seconds` are integers). */
const MAX_SECONDS = 86400;

export type SettingType =
  | { readonly kind: 'boolean' }
  | { readonly kind: 'integer'; readonly minimum: number; readonly maximum: number }
  | {
      readonly kind: 'string';
      /** A JSON Schema / ECMAScript pattern the whole value must match. */
      readonly pattern: string;
      /** What a valid value looks like, in words ("a Kubernetes version such as …"). */
      readonly expected: string;
    }
  | { readonly kind: 'stringList'; readonly expected: string }
  | { readonly kind: 'enum'; readonly values: readonly string[]; readonly descriptions: readonly string[] }
  /** `rules`: rule id → severity, or → `{ severity?, <the rule's options> }`. */
  | { readonly kind: 'rules' };

/**
 * Where a setting may be written:
 * - `everywhere`: editor settings and `.kube-graceful.yaml`; part of the analysis `Settings`;
 * - `editor`: editor settings only, read by the language server (`enable`);
 * - `client`: editor settings only, read by the VS Code extension itself (`trace.server`).
 */
export type SettingPlace = 'everywhere' | 'editor' | 'client';

export interface SettingSpec {
  /** The key in `.kube-graceful.yaml`, and after `kubeGraceful.` in the editor. */
  readonly key: string;
  readonly type: SettingType;
  readonly default: boolean | number | string | readonly string[] | Readonly<Record<string, never>>;
  /** Markdown. */
  readonly description: string;
  /** VS Code's configuration scope: `resource` settings may differ per folder and file. */
  readonly scope: 'resource' | 'window';
  readonly place: SettingPlace;
  /**
   * The rule this threshold belongs to. It can then also be set with the rule, as
   * `rules: { <rule>: { severity: …, <key>: … } }`; there it wins over the top-level key.
   */
  readonly rule?: string;
}

export const SEVERITY_VALUES: readonly SeveritySetting[] = ['off', 'info', 'warning', 'error'];
export const SEVERITY_DESCRIPTIONS: readonly string[] = ['Do not run the rule.', 'Report as information.', 'Report as a warning.', 'Report as an error.'];

/** The key of the severity in the per-rule form of `rules`. */
export const RULE_SEVERITY_KEY = 'severity';

/** Editor settings live under this section. */
export const EDITOR_SECTION = 'kubeGraceful';

/** "1.34", and for compatibility "v1.34" and "1.34.2" (read as 1.34). */
export const KUBERNETES_VERSION_PATTERN = '^v?[0-9]+\\.[0-9]+(\\.[0-9]+)?$';

export const SETTINGS_SCHEMA: readonly SettingSpec[] = [
  {
    key: 'workspaceIndexMaxFiles',
    type: { kind: 'integer', minimum: 100, maximum: 1_000_000 },
    default: 100_000,
    description:
      'Most YAML files of the workspace read in the background to find the Services in front of each workload (a bound on memory: about 3 KB per file). When a workspace has more, the language server says so and the Services in the rest are unknown.',
    scope: 'window',
    place: 'editor',
  },
  {
    key: 'enable',
    type: { kind: 'boolean' },
    default: true,
    description: 'Check Kubernetes manifests in this folder for graceful-termination mistakes. Set to `false` to turn kube-graceful off without uninstalling it.',
    scope: 'resource',
    place: 'editor',
  },
  {
    key: 'kubernetesVersion',
    type: { kind: 'string', pattern: KUBERNETES_VERSION_PATTERN, expected: 'a Kubernetes version as major.minor, such as "1.34"' },
    default: DEFAULT_SETTINGS.kubernetesVersion,
    description:
      'The Kubernetes version the manifests target, as `major.minor`. It decides which `preStop` forms a quick fix may insert (the built-in `sleep` action needs 1.30 or later).',
    scope: 'resource',
    place: 'everywhere',
  },
  {
    key: 'preStopSleepSeconds',
    type: { kind: 'integer', minimum: 1, maximum: MAX_SECONDS },
    default: DEFAULT_SETTINGS.preStopSleepSeconds,
    description:
      'Length in whole seconds of the `preStop` sleep that quick fixes insert: the time for endpoint removal to reach kube-proxy, ingress controllers and load balancers before the container gets `SIGTERM`.',
    scope: 'resource',
    place: 'everywhere',
  },
  {
    key: 'shutdownSeconds',
    type: { kind: 'integer', minimum: 0, maximum: MAX_SECONDS },
    default: DEFAULT_SETTINGS.shutdownSeconds,
    description:
      'Whole seconds the application needs after `SIGTERM` to finish in-flight work. Quick fixes size `terminationGracePeriodSeconds` as the `preStop` sleep plus this.',
    scope: 'resource',
    place: 'everywhere',
  },
  {
    key: 'minShutdownSeconds',
    type: { kind: 'integer', minimum: 0, maximum: MAX_SECONDS },
    default: DEFAULT_SETTINGS.minShutdownSeconds,
    description:
      'Warn (`grace-period-too-short`) when `terminationGracePeriodSeconds` leaves the application fewer than this many seconds after the `preStop` hook.',
    scope: 'resource',
    place: 'everywhere',
    rule: 'grace-period-too-short',
  },
  {
    key: 'minPropagationSeconds',
    type: { kind: 'integer', minimum: 0, maximum: MAX_SECONDS },
    default: DEFAULT_SETTINGS.minPropagationSeconds,
    description:
      'A fixed `preStop` sleep shorter than this many seconds is reported (`prestop-sleep-too-short`) as too short for endpoint removal to propagate; `0` turns the check off.',
    scope: 'resource',
    place: 'everywhere',
    rule: 'prestop-sleep-too-short',
  },
  {
    key: 'minSleepAwsNlbIpSeconds',
    type: { kind: 'integer', minimum: 0, maximum: MAX_SECONDS },
    default: DEFAULT_SETTINGS.minSleepAwsNlbIpSeconds,
    description:
      'The preStop sleep that pods reached by an AWS Network Load Balancer in IP target mode (`service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip`) need: users and maintainers of the AWS Load Balancer Controller report that deregistration takes about two minutes. Used by `prestop-sleep-too-short` and by the fixes that add a sleep; `0` falls back to `minPropagationSeconds`.',
    scope: 'resource',
    place: 'everywhere',
    rule: 'prestop-sleep-too-short',
  },
  {
    key: 'minSleepAwsAlbIpSeconds',
    type: { kind: 'integer', minimum: 0, maximum: MAX_SECONDS },
    default: DEFAULT_SETTINGS.minSleepAwsAlbIpSeconds,
    description:
      'The preStop sleep that pods reached by an AWS Application Load Balancer in IP target mode (`alb.ingress.kubernetes.io/target-type: ip`) need: the EKS best-practices guide uses `sleep 10`. Used by `prestop-sleep-too-short` and by the fixes that add a sleep; `0` falls back to `minPropagationSeconds`.',
    scope: 'resource',
    place: 'everywhere',
    rule: 'prestop-sleep-too-short',
  },
  {
    key: 'minSleepGkeNegSeconds',
    type: { kind: 'integer', minimum: 0, maximum: MAX_SECONDS },
    default: DEFAULT_SETTINGS.minSleepGkeNegSeconds,
    description:
      'The preStop sleep that pods in a GKE network endpoint group (`cloud.google.com/neg`, container-native load balancing) need: Google\'s default health check (5 s × 2 failures) leaves about 10 s of errors without one. Used by `prestop-sleep-too-short` and by the fixes that add a sleep; `0` falls back to `minPropagationSeconds`.',
    scope: 'resource',
    place: 'everywhere',
    rule: 'prestop-sleep-too-short',
  },
  {
    key: 'minSleepAzureAppGatewaySeconds',
    type: { kind: 'integer', minimum: 0, maximum: MAX_SECONDS },
    default: DEFAULT_SETTINGS.minSleepAzureAppGatewaySeconds,
    description:
      'The preStop sleep that pods behind the Azure Application Gateway Ingress Controller need: Azure\'s guide to minimising downtime uses `sleep 90` with a grace period of 101 s. Used by `prestop-sleep-too-short` and by the fixes that add a sleep; `0` falls back to `minPropagationSeconds`.',
    scope: 'resource',
    place: 'everywhere',
    rule: 'prestop-sleep-too-short',
  },
  {
    key: 'minimalImages',
    type: { kind: 'stringList', expected: 'a list of non-empty image patterns such as "gcr.io/distroless/*"' },
    default: DEFAULT_SETTINGS.minimalImages,
    description:
      'Extra image patterns (`*` matches any run of characters) known to ship neither `sleep` nor a shell, such as distroless or scratch images, so an `exec` hook running `sleep` cannot work in them. Added to the built-in list.',
    scope: 'resource',
    place: 'everywhere',
  },
  {
    key: 'rules',
    type: { kind: 'rules' },
    default: {},
    description:
      'Severity per rule id: `"off"`, `"info"`, `"warning"` or `"error"`; rules not listed keep their default severity. A rule with options also takes a map of `severity` and its options, which win over the top-level keys. Example: `{ "prestop-hook-missing": "error", "prestop-sleep-too-short": { "severity": "warning", "minPropagationSeconds": 8 } }`.',
    scope: 'resource',
    place: 'everywhere',
  },
  {
    key: 'trace.server',
    type: {
      kind: 'enum',
      values: ['off', 'messages', 'verbose'],
      descriptions: ['No tracing.', 'Log the name of each message.', 'Log each message with its content.'],
    },
    default: 'off',
    description: 'Traces the communication between VS Code and the kube-graceful language server in the **kube-graceful** output channel.',
    scope: 'window',
    place: 'client',
  },
];

/** The settings `.kube-graceful.yaml` may hold. */
export function fileSettings(): readonly SettingSpec[] {
  return SETTINGS_SCHEMA.filter((s) => s.place === 'everywhere');
}

/** The options a rule takes in the per-rule form of `rules`. */
export function ruleOptions(ruleId: string): readonly SettingSpec[] {
  return SETTINGS_SCHEMA.filter((s) => s.rule === ruleId);
}
