/**
 * A pod's termination timeline as plain data: what the kubelet does, and when, from the
 * pod's values. t = 0 is the deletion: endpoint removal starts, the grace countdown starts and
 * the kubelet runs the preStop hooks of all containers (native sidecars included) in
 * parallel. Each container then gets SIGTERM when its hook ends (cut off at the grace period)
 * and SIGKILL when the time left runs out; the kubelet never leaves it less than 2 s after
 * SIGTERM, which is the "one-off 2 s extension" of a hook that overruns the grace period. A
 * grace period of 0 runs no hooks and kills at once; a negative one is treated as 1 s. Native
 * sidecars get SIGTERM only after every main container (and every sidecar listed after them)
 * has exited, from what is left of the same grace period.
 *
 * Reads only the value fields of the views (grace seconds, hook form and duration, names) and,
 * for what comes after SIGTERM, the app's own shutdown timeout (model/apps, with the ConfigMaps
 * in view), so rules, hovers, the picture and the CLI all render the same numbers.
 */
import { appEnvOf, appShutdownOf, type AppEnv, type AppShutdown } from './apps';
import type { ConfigMapLookup } from './configmaps';
import type { HookForm } from './workloads';
import type { ServingReason } from './serving';
import { containerLabel } from './timing';
import type { ContainerView, PodView } from './workloads';

/** The kubelet's floor for the time between SIGTERM and SIGKILL (minimumGracePeriodInSeconds). */
export const MIN_SIGTERM_SECONDS = 2;

/** A time or a length in seconds; `exact: false` makes it a bound (see where it is used). */
export interface Seconds {
  readonly seconds: number;
  readonly exact: boolean;
}

export type HookTiming =
  /** No preStop hook. */
  | { readonly kind: 'none' }
  /** Grace period 0: the kubelet does not run the hook. */
  | { readonly kind: 'skipped'; readonly form: HookForm }
  /** A handler the kubelet does not run (tcpSocket) or that kube-graceful does not know: no delay. */
  | { readonly kind: 'ignored'; readonly form: HookForm }
  /** Runs, but how long it takes cannot be read (httpGet, custom commands, `sleep $VAR`). */
  | { readonly kind: 'unknown'; readonly form: HookForm }
  /**
   * Takes `seconds` (at least, when not `exact`). `cutShort`: it certainly runs to the grace
   * period, which ends it.
   */
  | { readonly kind: 'timed'; readonly form: HookForm; readonly seconds: number; readonly exact: boolean; readonly cutShort: boolean };

/**
 * Whether the kubelet's 2 s floor after SIGTERM pushes SIGKILL past the grace period:
 * `applied` certainly, `possible` when it depends on how long something unknown takes.
 */
export type Extension = 'none' | 'applied' | 'possible';

export interface Lane {
  readonly container: ContainerView;
  /** 'container "api"', 'sidecar "proxy"'. */
  readonly label: string;
  readonly role: 'main' | 'sidecar';
  /** Why the container receives traffic; undefined when it does not (or nothing was said). */
  readonly serving: ServingReason | undefined;
  readonly hook: HookTiming;
  /** When the hook ends or is cut off; exact false: no earlier than. Undefined without a running hook of known length. */
  readonly hookEnd: Seconds | undefined;
  /**
   * When SIGTERM comes; exact false: no earlier than. Undefined when it comes as an unknown hook
   * returns. For a sidecar, the earliest its turn can come.
   */
  readonly sigterm: Seconds | undefined;
  /** The app's time between SIGTERM and SIGKILL; exact false: at most. Undefined when unknown. */
  readonly budget: Seconds | undefined;
  /** When SIGKILL comes if the container is still running (including any extension that is `applied`). */
  readonly sigkill: number;
  readonly extension: Extension;
  /** Sidecars: 1 for the first to get SIGTERM (the last listed in initContainers). */
  readonly turn: number | undefined;
  /**
   * The app's own shutdown timeout after SIGTERM (model/apps), read with the ConfigMaps the
   * timeline was given; undefined when no reader recognises the container's app.
   */
  readonly app: AppShutdown | undefined;
}

export type GraceState = 'set' | 'default' | 'zero' | 'negative' | 'invalid';

export interface PodTimeline {
  readonly kind: string;
  readonly name: string | undefined;
  readonly subject: string;
  /** Effective grace period in seconds: 30 when omitted or not a number, 1 when negative, else as written. */
  readonly grace: number;
  /** As written, when it is a whole number. */
  readonly graceRaw: number | undefined;
  readonly graceState: GraceState;
  /** False with a grace period of 0: hooks do not run and every container is killed at once. */
  readonly hooksRun: boolean;
  /** Main containers in their order. */
  readonly main: readonly Lane[];
  /** Native sidecars in the order they get SIGTERM (reverse of initContainers). */
  readonly sidecars: readonly Lane[];
  /** The last SIGKILL that can come (the end of the timeline). */
  readonly end: number;
}

function graceState(pod: PodView): GraceState {
  const g = pod.grace;
  if (!g.valid) return 'invalid';
  if (g.raw === undefined) return 'default';
  if (g.raw === 0) return 'zero';
  if (g.raw < 0) return 'negative';
  return 'set';
}

function hookTiming(c: ContainerView, grace: number, hooksRun: boolean): HookTiming {
  const p = c.preStop;
  if (!p) return { kind: 'none' };
  if (!hooksRun) return { kind: 'skipped', form: p.form };
  if (p.form === 'tcpSocket' || p.form === 'other') return { kind: 'ignored', form: p.form };
  const d = p.duration;
  if (!d) return { kind: 'unknown', form: p.form };
  return { kind: 'timed', form: p.form, seconds: d.seconds, exact: d.exact, cutShort: d.seconds >= grace };
}

/** A main container's lane (and the common part of a sidecar's: its hook). */
function mainLane(c: ContainerView, grace: number, hooksRun: boolean, serving: ReadonlyMap<ContainerView, ServingReason> | undefined, env: AppEnv): Lane {
  const base = { container: c, label: containerLabel(c), role: c.role, serving: serving?.get(c), turn: undefined, app: appShutdownOf(c, env) };
  const hook = hookTiming(c, grace, hooksRun);
  if (!hooksRun) {
    return { ...base, hook, hookEnd: undefined, sigterm: { seconds: 0, exact: true }, budget: { seconds: 0, exact: true }, sigkill: 0, extension: 'none' };
  }
  switch (hook.kind) {
    case 'none':
    case 'skipped':
    case 'ignored': {
      const budget = Math.max(grace, MIN_SIGTERM_SECONDS);
      return {
        ...base,
        hook,
        hookEnd: undefined,
        sigterm: { seconds: 0, exact: true },
        budget: { seconds: budget, exact: true },
        sigkill: budget,
        extension: budget > grace ? 'applied' : 'none',
      };
    }
    case 'unknown':
      // SIGTERM when the hook returns, at the grace period at the latest; SIGKILL at the grace
      // period, or 2 s later when the hook runs (nearly) to its end.
      return { ...base, hook, hookEnd: undefined, sigterm: undefined, budget: undefined, sigkill: grace, extension: 'possible' };
    case 'timed': {
      if (hook.cutShort) {
        const at = { seconds: grace, exact: true };
        return {
          ...base,
          hook,
          hookEnd: at,
          sigterm: at,
          budget: { seconds: MIN_SIGTERM_SECONDS, exact: true },
          sigkill: grace + MIN_SIGTERM_SECONDS,
          extension: 'applied',
        };
      }
      const end = { seconds: hook.seconds, exact: hook.exact };
      const left = grace - hook.seconds;
      if (hook.exact) {
        const budget = Math.max(left, MIN_SIGTERM_SECONDS);
        return {
          ...base,
          hook,
          hookEnd: end,
          sigterm: end,
          budget: { seconds: budget, exact: true },
          sigkill: hook.seconds + budget,
          extension: budget > left ? 'applied' : 'none',
        };
      }
      // A lower bound: SIGTERM no earlier than the known part, so at most the rest of the grace period.
      return {
        ...base,
        hook,
        hookEnd: end,
        sigterm: end,
        budget: { seconds: Math.max(left, MIN_SIGTERM_SECONDS), exact: false },
        sigkill: grace,
        extension: 'possible',
      };
    }
  }
}

/**
 * The pod's termination timeline. `serving` (the rules' serving map) only labels the lanes;
 * the timing does not depend on it. `configMaps`: the ConfigMaps in view (the analysis's
 * `configMapLookup`), where app readers find timeouts written outside the container; without
 * them only what the container itself says is read.
 */
export function podTimeline(pod: PodView, serving?: ReadonlyMap<ContainerView, ServingReason>, configMaps?: ConfigMapLookup): PodTimeline {
  const state = graceState(pod);
  const grace = state === 'zero' ? 0 : pod.grace.seconds;
  const hooksRun = grace > 0;
  const env = appEnvOf(pod, configMaps);
  const main = pod.containers.map((c) => mainLane(c, grace, hooksRun, serving, env));
  // Every main container has exited no earlier than its SIGTERM; an unknown hook may end at once.
  const mainTerm = main.reduce((t, l) => Math.max(t, l.sigterm?.seconds ?? 0), 0);
  const sidecars: Lane[] = [];
  let previous = Math.min(mainTerm, grace);
  const reversed = [...pod.sidecars].reverse();
  reversed.forEach((c, i) => {
    const own = mainLane(c, grace, hooksRun, serving, env);
    if (!hooksRun) {
      sidecars.push({ ...own, turn: i + 1 });
      return;
    }
    // Its turn comes once its hook has ended and everything before it in the order has exited;
    // the kubelet waits for that at most until the grace period ends, then gives it the 2 s floor.
    const hookEnd = own.hook.kind === 'timed' ? Math.min(own.hook.seconds, grace) : 0;
    const earliest = Math.min(Math.max(previous, hookEnd), grace);
    previous = earliest;
    const left = grace - earliest;
    sidecars.push({
      ...own,
      sigterm: { seconds: earliest, exact: false },
      budget: { seconds: Math.max(left, MIN_SIGTERM_SECONDS), exact: false },
      sigkill: Math.max(grace, earliest + MIN_SIGTERM_SECONDS),
      extension: left < MIN_SIGTERM_SECONDS ? 'applied' : 'possible',
      turn: i + 1,
    });
  });
  const lanes = [...main, ...sidecars];
  const end = lanes.reduce((t, l) => Math.max(t, l.sigkill + (l.extension === 'possible' ? MIN_SIGTERM_SECONDS : 0)), grace);
  return {
    kind: pod.object.kind,
    name: pod.object.name,
    subject: pod.subject,
    grace,
    graceRaw: pod.grace.valid ? pod.grace.raw : undefined,
    graceState: state,
    hooksRun,
    main,
    sidecars,
    end: hooksRun ? end : 0,
  };
}

/** Every lane: main containers, then sidecars in SIGTERM order. */
export function lanesOf(t: PodTimeline): readonly Lane[] {
  return [...t.main, ...t.sidecars];
}

/** The lane whose hook has the longest known duration (main and sidecars alike: all hooks start together). */
export function longestTimedLane(t: PodTimeline): (Lane & { readonly hook: Extract<HookTiming, { kind: 'timed' }> }) | undefined {
  let best: (Lane & { readonly hook: Extract<HookTiming, { kind: 'timed' }> }) | undefined;
  for (const l of lanesOf(t)) {
    const h = l.hook;
    if (h.kind !== 'timed') continue;
    if (!best || h.seconds > best.hook.seconds) best = { ...l, hook: h };
  }
  return best;
}

export interface SidecarProjection {
  /** The longest main-container hook. */
  readonly mainHook: number;
  /** The main lane with that hook, when one has a hook of known length. */
  readonly mainLane: Lane | undefined;
  /** When the main containers have exited if each stops within `stop` seconds of its SIGTERM. */
  readonly mainExit: number;
  /** When the sidecars' turn comes: the main containers have exited and the sidecars' hooks have ended. */
  readonly sidecarTerm: number;
  /** When the sidecars have exited if, one after another, they stop within `stop` seconds in all. */
  readonly end: number;
}

/**
 * The shutdown of a pod with native sidecars when every container takes `stop` seconds after
 * SIGTERM: the time the grace period needs for it to end without SIGKILL. Hooks of unknown
 * length count as 0 (no finding is made on an unknown).
 */
export function projectSidecarShutdown(t: PodTimeline, stop: number): SidecarProjection {
  let mainHook = 0;
  let mainLane: Lane | undefined;
  for (const l of t.main) {
    if (l.hook.kind === 'timed' && l.hook.seconds > mainHook) {
      mainHook = l.hook.seconds;
      mainLane = l;
    }
  }
  const sidecarHook = t.sidecars.reduce((m, l) => Math.max(m, l.hook.kind === 'timed' ? l.hook.seconds : 0), 0);
  const mainExit = mainHook + stop;
  const sidecarTerm = Math.max(mainExit, sidecarHook);
  return { mainHook, mainLane, mainExit, sidecarTerm, end: sidecarTerm + stop };
}
