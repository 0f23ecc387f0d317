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
 * Every refactoring is applied to the text and re-analysed; it is dropped unless the result
 * parses as well as before, has the same objects, and shows the intended change.
 */
import { analyzeText, type Analysis } from './analyze';
import { featureOnByDefault } from './features';
import { addPreStopEdit, nativeSleepSupported, setGraceEdit, sleepHookValue } from './fixes/builders';
import { requiredGraceFor, type HookOverride } from './fixes/grace';
import { execToNativeEdit, nativeToExecEdit } from './fixes/sleep-forms';
import { minimalImage } from './model/images';
import { ServiceIndex, servingContainers } from './model/serving';
import { plainExecSleep } from './model/sleeps';
import type { ContainerView, PodView } from './model/workloads';
import type { FixEnv } from './rules/types';
import type { Settings } from './settings';
import type { Span, TextEdit } from './types';
import { entries } from './yaml/nodes';
import { applyEdits } from './yaml/text';

export interface Refactoring {
  readonly title: string;
  readonly kind: 'refactor.rewrite';
  readonly edits: TextEdit[];
}

function within(span: Span | undefined, offset: number): boolean {
  return span !== undefined && span.start <= offset && offset <= span.end;
}

/** The innermost workload whose object contains the offset. */
function podAt(analysis: Analysis, offset: number): PodView | undefined {
  let best: PodView | undefined;
  for (const p of analysis.pods) {
    const s = p.object.span;
    if (!within(s, offset)) continue;
    if (!best || s.end - s.start < best.object.span.end - best.object.span.start) best = p;
  }
  return best;
}

type Expectation = (after: Analysis) => boolean;

/** The same workload after the edit: same place in the file's order (the object count is checked first). */
function samePod(before: Analysis, after: Analysis, pod: PodView): PodView | undefined {
  const i = before.pods.indexOf(pod);
  const p = i === -1 ? undefined : after.pods[i];
  return p && p.subject === pod.subject ? p : undefined;
}

function containerBySubject(p: PodView | undefined, subject: string): ContainerView | undefined {
  return p ? [...p.containers, ...p.sidecars].find((c) => c.subject === subject) : undefined;
}

/** Applies the edits and keeps the refactoring only when the result is sound and does what it says. */
function verified(analysis: Analysis, settings: Settings, title: string, edits: TextEdit[], expect: Expectation): Refactoring | undefined {
  const text = analysis.prepared.text;
  const crlf = analysis.style.eol === '\r\n';
  for (const e of edits) {
    if (text.slice(e.start, e.end).includes('#')) return undefined;
    if (crlf ? /(^|[^\r])\n/.test(e.newText) : e.newText.includes('\r')) return undefined;
  }
  let next: string;
  try {
    next = applyEdits(text, edits);
  } catch {
    return undefined;
  }
  const after = analyzeText(next, { settings });
  const errors = (n: readonly { kind: string }[]): number => n.filter((x) => x.kind === 'syntax-error').length;
  if (errors(after.notices) > errors(analysis.notices)) return undefined;
  const objects = (a: Analysis): number => a.prepared.chunks.reduce((n, c) => n + c.objects.length, 0);
  if (objects(after) !== objects(analysis)) return undefined;
  if (!expect(after)) return undefined;
  return { title, kind: 'refactor.rewrite', edits };
}

function hookConversions(analysis: Analysis, pod: PodView, offset: number, settings: Settings, env: FixEnv): Refactoring[] {
  const out: Refactoring[] = [];
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
          verified(analysis, settings, 'Convert to the native sleep action', [edit], (after) => {
            const h = containerBySubject(samePod(analysis, after, pod), c.subject)?.preStop;
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
        verified(analysis, settings, 'Convert to an exec sleep', [edit], (after) => {
          const h = containerBySubject(samePod(analysis, after, pod), c.subject)?.preStop;
          return h?.form === 'exec' && h.duration?.exact === true && h.duration.seconds === seconds;
        });
      if (r) out.push(r);
    }
  }
  return out;
}

function onWorkload(pod: PodView, offset: number): boolean {
  if (within(pod.object.kindSpan, offset)) return true;
  return entries(pod.ctx, pod.spec).some((e) => !e.viaAlias && within(e.keySpan, offset));
}

function gracefulSetup(analysis: Analysis, pod: PodView, settings: Settings, env: FixEnv): Refactoring | undefined {
  if (pod.partial || pod.batch || !pod.grace.valid) return undefined;
  const serving = servingContainers(pod, new ServiceIndex([...analysis.prepared.services, ...analysis.externalServices]));
  let targets: ContainerView[] = [...serving.keys()];
  if (targets.length === 0) targets = pod.containers.length === 1 ? [...pod.containers] : [];
  if (targets.length === 0 || targets.some((c) => c.preStop !== undefined)) return undefined;
  const seconds = settings.preStopSleepSeconds;
  const native = nativeSleepSupported(settings);
  const edits: TextEdit[] = [];
  const hooked: HookOverride[] = [];
  for (const c of targets) {
    if (!native && minimalImage(c.image, settings)) continue;
    const edit = addPreStopEdit(pod, c, sleepHookValue(seconds, native), env);
    if (!edit) return undefined;
    edits.push(edit);
    hooked.push({ container: c, seconds });
  }
  if (edits.length === 0) return undefined;
  const needed = requiredGraceFor(pod, settings, hooked);
  if (pod.grace.seconds < needed || (pod.grace.raw !== undefined && pod.grace.raw <= 0)) {
    const g = setGraceEdit(pod, needed, env);
    if (!g) return undefined;
    edits.push(g);
  }
  return verified(analysis, settings, 'Set up graceful shutdown', edits, (after) => {
    const p = samePod(analysis, after, pod);
    return hooked.every((h) => containerBySubject(p, h.container.subject)?.preStop !== undefined) && p !== undefined && p.grace.seconds >= needed;
  });
}

/** The refactorings offered at `offset` in the analysed text. Never throws. */
export function refactoringsAt(analysis: Analysis, offset: number, settings: Settings): Refactoring[] {
  try {
    const pod = podAt(analysis, offset);
    if (!pod) return [];
    const env: FixEnv = { text: analysis.prepared.text, style: analysis.style, settings };
    const out = hookConversions(analysis, pod, offset, settings, env);
    if (onWorkload(pod, offset)) {
      const r = gracefulSetup(analysis, pod, settings, env);
      if (r) out.push(r);
    }
    return out;
  } catch {
    return [];
  }
}
