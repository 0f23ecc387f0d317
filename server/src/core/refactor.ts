/**
 * Refactorings at a position: rewrites the user asks for that change no finding by themselves.
 *
 * - On a preStop hook: "Convert to the native sleep action" (an exec sleep, Kubernetes 1.30+,
 *   when the sleep fits in the grace period, which the API server demands of the native form)
 *   and "Convert to an exec sleep" (a native sleep, unless the image ships no `sleep`). Both
 *   keep the duration.
 * - On a workload (its `kind` value, or a key of its pod spec) none of whose serving
 *   containers has a preStop hook: "Set up graceful shutdown" adds a sleep hook to every
 *   serving container (or to the single main container when none is known to serve) and a
 *   grace period that covers it, in one edit set. The hook is the native sleep action from
 *   1.30 on, an exec sleep before — except in minimal images, which get nothing.
 *
 * Every refactoring goes through the one check of every edit (pipeline/verify.ts) and is dropped
 * unless the result also shows the intended change.
 */
import type { Analysis, EditContext } from './analyze';
import { featureOnByDefault } from './features';
import { addPreStopEdit, nativeSleepSupported, preStopTarget, setGraceEdit, sleepHookValue } from './fixes/builders';
import { requiredGraceFor, type HookOverride } from './fixes/grace';
import { execToNativeEdit, nativeToExecEdit } from './fixes/sleep-forms';
import { minimalImage } from './model/images';
import { loadBalancersOf, pathMinimum } from './model/lb';
import { servingContainers } from './model/serving';
import { plainExecSleep } from './model/sleeps';
import type { ContainerView, PodView } from './model/workloads';
import type { Settings } from './settings';
import type { Span, TextEdit } from './types';
import type { EditTarget } from './yaml/targets';
import type { ChunkModel } from './pipeline/cache';

export interface Refactoring {
  readonly title: string;
  readonly kind: 'refactor.rewrite';
  readonly edits: TextEdit[];
}

function within(span: Span | undefined, offset: number): boolean {
  return span !== undefined && span.start <= offset && offset <= span.end;
}

/** The innermost workload of the document whose object contains the (document-relative) offset. */
function podAt(pods: readonly PodView[], offset: number): PodView | undefined {
  let best: PodView | undefined;
  for (const p of pods) {
    const s = p.object.span;
    if (!within(s, offset)) continue;
    if (!best || s.end - s.start < best.object.span.end - best.object.span.start) best = p;
  }
  return best;
}

type Expectation = (pod: PodView | undefined) => boolean;

function containerBySubject(p: PodView | undefined, subject: string): ContainerView | undefined {
  return p ? [...p.containers, ...p.sidecars].find((c) => c.subject === subject) : undefined;
}

/** Checks the edits and keeps the refactoring only when the result passes and does what it says. */
function verified(ctx: EditContext, pod: PodView, title: string, edits: TextEdit[], touches: EditTarget[], expect: Expectation): Refactoring | undefined {
  const after: ChunkModel | undefined = ctx.check(edits, touches, false);
  if (!after || !expect(after.pods.find((p) => p.subject === pod.subject))) return undefined;
  return { title, kind: 'refactor.rewrite', edits: edits.map((e) => ({ start: e.start + ctx.base, end: e.end + ctx.base, newText: e.newText })) };
}

function hookConversions(ctx: EditContext, pod: PodView, offset: number, settings: Settings): Refactoring[] {
  const out: Refactoring[] = [];
  const { env } = ctx;
  for (const c of [...pod.containers, ...pod.sidecars]) {
    const p = c.preStop;
    if (!p || !(within(p.span, offset) || within(p.valueSpan, offset))) continue;
    if (p.form === 'exec' && p.execCommand && nativeSleepSupported(settings)) {
      const plain = plainExecSleep(p.execCommand);
      const graceOk = pod.grace.valid && (pod.grace.raw === undefined || pod.grace.raw > 0);
      // A native sleep of 0 s is a feature of its own (see features.ts).
      const zeroOk = plain !== undefined && (plain.seconds > 0 || featureOnByDefault('sleepActionZero', settings.kubernetesVersion));
      if (plain && graceOk && zeroOk && plain.seconds <= pod.grace.seconds) {
        const edit = execToNativeEdit(pod, c, plain, env);
        const r =
          edit &&
          verified(ctx, pod, 'Convert to the native sleep action', [edit], [p.target], (after) => {
            const h = containerBySubject(after, c.subject)?.preStop;
            return h?.form === 'sleep' && h.sleepSeconds === plain.seconds;
          });
        if (r) out.push(r);
      }
    }
    if (p.form === 'sleep' && p.sleepSeconds !== undefined && p.sleepSeconds >= 0 && !minimalImage(c.image, settings)) {
      const seconds = p.sleepSeconds;
      const edit = nativeToExecEdit(pod, c, env);
      const r =
        edit &&
        verified(ctx, pod, 'Convert to an exec sleep', [edit], [p.target], (after) => {
          const h = containerBySubject(after, c.subject)?.preStop;
          return h?.form === 'exec' && h.duration?.exact === true && h.duration.seconds === seconds;
        });
      if (r) out.push(r);
    }
  }
  return out;
}

function onWorkload(pod: PodView, offset: number): boolean {
  return within(pod.object.kindSpan, offset) || pod.specKeySpans.some((s) => within(s, offset));
}

function gracefulSetup(analysis: Analysis, ctx: EditContext, pod: PodView, settings: Settings): Refactoring | undefined {
  if (pod.partial || pod.batch || !pod.grace.valid) return undefined;
  const serving = servingContainers(pod, analysis.serviceLookup);
  let targets: ContainerView[] = [...serving.keys()];
  if (targets.length === 0) targets = pod.containers.length === 1 ? [...pod.containers] : [];
  if (targets.length === 0 || targets.some((c) => c.preStop !== undefined)) return undefined;
  if (!Number.isInteger(settings.preStopSleepSeconds) || settings.preStopSleepSeconds < 1) return undefined;
  // Behind a load balancer that reaches the pod by its IP, its minimum sleep (model/lb.ts).
  const path = pathMinimum(loadBalancersOf(analysis.serviceLookup.selecting(pod), analysis.routeLookup), settings);
  const seconds = Math.max(settings.preStopSleepSeconds, Math.ceil(path?.seconds ?? 0));
  const native = nativeSleepSupported(settings);
  const edits: TextEdit[] = [];
  const touches: EditTarget[] = [];
  const hooked: HookOverride[] = [];
  for (const c of targets) {
    if (!native && minimalImage(c.image, settings)) continue;
    const edit = addPreStopEdit(pod, c, sleepHookValue(seconds, native), ctx.env);
    if (!edit) return undefined;
    edits.push(edit);
    touches.push(preStopTarget(c));
    hooked.push({ container: c, seconds });
  }
  if (edits.length === 0) return undefined;
  const needed = requiredGraceFor(pod, settings, hooked);
  if (pod.grace.seconds < needed || (pod.grace.raw !== undefined && pod.grace.raw <= 0)) {
    const g = setGraceEdit(pod, Math.max(needed, pod.grace.seconds), ctx.env);
    if (!g) return undefined;
    edits.push(g);
    touches.push(pod.grace.target);
  }
  return verified(ctx, pod, 'Set up graceful shutdown', edits, touches, (p) => {
    return hooked.every((h) => containerBySubject(p, h.container.subject)?.preStop !== undefined) && p !== undefined && p.grace.seconds >= needed;
  });
}

/** The refactorings offered at `offset` in the analysed text. Never throws. */
export function refactoringsAt(analysis: Analysis, offset: number, settings: Settings): Refactoring[] {
  try {
    const ctx = analysis.editContextAt(offset);
    if (!ctx) return [];
    const local = offset - ctx.base;
    const pod = podAt(ctx.pods, local);
    if (!pod) return [];
    const out = hookConversions(ctx, pod, local, settings);
    if (onWorkload(pod, local)) {
      const r = gracefulSetup(analysis, ctx, pod, settings);
      if (r) out.push(r);
    }
    return out;
  } catch {
    return [];
  }
}
