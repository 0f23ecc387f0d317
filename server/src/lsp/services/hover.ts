/**
 * Hover on `terminationGracePeriodSeconds`, `lifecycle`, `preStop` and the workload's `kind`:
 * the pod's termination timeline, rendered from the core's model (model/timeline.ts) and its
 * feature table (features.ts); nothing here computes a time.
 */
import { MarkupKind, type Hover } from 'vscode-languageserver';
import {
  containerLabel,
  describeReason,
  describeStages,
  featureOnByDefault,
  laneDrain,
  podTimeline,
  servingContainers,
  versionText,
  type ConfigMapLookup,
  type ContainerView,
  type FeatureId,
  type Lane,
  type PodView,
  type Seconds,
  type ServingReason,
  type Settings,
  type Span,
} from '../../core';
import type { DocumentAnalysis } from './analyzer';
import { spanToRange } from './diagnostics';
import { timelineImageMarkdown } from './timeline';

interface Target {
  readonly pod: PodView;
  readonly span: Span;
  /** The container whose lifecycle/preStop is hovered. */
  readonly container: ContainerView | undefined;
}

function inside(span: Span | undefined, offset: number): span is Span {
  return span !== undefined && span.start <= offset && offset <= span.end;
}

function targetAt(da: DocumentAnalysis, offset: number): Target | undefined {
  for (const pod of da.analysis.pods) {
    if (!inside(pod.object.span, offset)) continue;
    if (inside(pod.object.kindSpan, offset)) return { pod, span: pod.object.kindSpan, container: undefined };
    const graceKey = pod.grace.keySpan;
    if (inside(graceKey, offset)) return { pod, span: graceKey, container: undefined };
    if (pod.grace.explicit && inside(pod.grace.span, offset)) return { pod, span: pod.grace.span, container: undefined };
    for (const c of [...pod.containers, ...pod.sidecars]) {
      const lifecycle = c.lifecycleKeySpan;
      if (inside(lifecycle, offset)) return { pod, span: lifecycle, container: c };
      const preStop = c.preStop?.span;
      if (inside(preStop, offset)) return { pod, span: preStop, container: c };
    }
  }
  return undefined;
}

/** `picture`: put the timeline picture (a data-URI image) above the table. */
export function hoverAt(da: DocumentAnalysis, offset: number, picture = false): Hover | null {
  const t = targetAt(da, offset);
  if (!t) return null;
  const serving = servingContainers(t.pod, da.analysis.serviceLookup);
  const value = timelineMarkdown(t.pod, serving, da.effective.settings, da.text, t.container, picture, da.analysis.configMapLookup);
  return { contents: { kind: MarkupKind.Markdown, value }, range: spanToRange(da.doc, t.span) };
}

function s(n: number): string {
  return `${Number.isInteger(n) ? n : n.toFixed(1)} s`;
}

function code(x: string): string {
  const clean = x.replace(/[\r\n]+/g, ' ');
  const short = clean.length > 80 ? `${clean.slice(0, 77)}…` : clean;
  return `\`${short.replace(/`/g, "'")}\``;
}

function nameOf(c: ContainerView): string {
  return c.name !== undefined ? code(c.name) : `#${c.index + 1}`;
}

/** Markdown table cells must not contain '|' or line breaks. */
function cell(x: string): string {
  return x.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

/** httpGet path and port, read from the hook's source text. */
function httpGetText(c: ContainerView, text: string): string {
  const p = c.preStop;
  if (!p) return 'httpGet';
  const src = text.slice(p.valueSpan.start, Math.min(p.valueSpan.end, p.valueSpan.start + 2000));
  const path = /\bpath:\s*["']?([^\s"'#,}]+)/.exec(src)?.[1];
  const port = /\bport:\s*["']?([^\s"'#,}]+)/.exec(src)?.[1];
  return `httpGet ${path ?? '/'}${port !== undefined ? ` on port ${port}` : ''}`;
}

function hookText(c: ContainerView, text: string): string {
  const p = c.preStop;
  if (!p) return 'no preStop hook';
  switch (p.form) {
    case 'sleep':
      return p.sleepSeconds !== undefined ? `sleep action, ${s(p.sleepSeconds)}` : 'sleep action (seconds not a number)';
    case 'exec':
      return p.execCommand ? `exec ${code(p.execCommand.join(' '))}` : 'exec';
    case 'httpGet':
      return httpGetText(c, text);
    case 'tcpSocket':
      return 'tcpSocket (deprecated; the kubelet does not run it)';
    case 'other':
      return 'a handler kube-graceful does not know';
  }
}

interface Row {
  readonly t: number | undefined;
  readonly order: number;
  readonly time: string;
  readonly what: string;
}

function at(x: Seconds): string {
  return x.exact ? s(x.seconds) : `≥ ${s(x.seconds)}`;
}

/** Rows of one main container's lane. */
function mainRows(lane: Lane, grace: number, text: string, label: string): Row[] {
  const c = lane.container;
  const h = lane.hook;
  const hook = hookText(c, text);
  switch (h.kind) {
    case 'none':
    case 'skipped':
      return [{ t: 0, order: 2, time: '0 s', what: `${label}: no preStop hook, **SIGTERM at once**, while routers may still send it requests; ${s(lane.sigkill)} to exit.` }];
    case 'ignored':
      return [{ t: 0, order: 2, time: '0 s', what: `${label}: preStop ${cell(hook)} — no delay; SIGTERM at once, ${s(lane.sigkill)} to exit.` }];
    case 'unknown':
      return [
        { t: 0, order: 1, time: '0 s →', what: `${label}: preStop ${cell(hook)}, duration **unknown** (as long as it takes, cut off at ${s(grace)}).` },
        { t: undefined, order: 2, time: 'hook end', what: `${label}: SIGTERM when the hook returns; the app gets the rest of the ${s(grace)}.` },
      ];
    case 'timed': {
      const d = { seconds: h.seconds, exact: h.exact };
      const timing = h.form === 'sleep' ? '' : ` (${at(d)})`;
      if (h.cutShort) {
        const rejected = h.form === 'sleep' && h.seconds > grace ? ' The API server rejects a sleep action longer than the grace period.' : '';
        return [
          { t: 0, order: 1, time: `0 → ${s(grace)}`, what: `${label}: preStop ${cell(hook)}${timing} — **cut short** when the grace period ends.${rejected}` },
          { t: grace, order: 2, time: s(grace), what: `${label}: SIGTERM with a one-off **${s(lane.sigkill - grace)}** extension: no time to shut down cleanly.` },
        ];
      }
      const term = lane.sigterm ?? d;
      const budget = lane.budget ?? { seconds: grace - h.seconds, exact: h.exact };
      const floor = lane.extension === 'applied' ? ` (the kubelet's minimum: SIGKILL at ${s(lane.sigkill)}, after the grace period)` : '';
      return [
        { t: 0, order: 1, time: `0 → ${s(h.seconds)}`, what: `${label}: preStop ${cell(hook)}${timing}; the app keeps serving meanwhile.` },
        { t: term.seconds, order: 2, time: at(term), what: `${label}: SIGTERM; the app has ${budget.exact ? '' : 'at most '}**${s(budget.seconds)}** to exit${floor}.` },
      ];
    }
  }
}

/** The app's own shutdown timeout after SIGTERM, where the timeline read one (never the assumed setting). */
function appRows(lane: Lane, settings: Settings, label: string): Row[] {
  if (!lane.app || !lane.sigterm) return [];
  const d = laneDrain(lane, settings.shutdownSeconds);
  if (d.seconds === 'unbounded') {
    return [{ t: lane.sigterm.seconds, order: 2, time: at(lane.sigterm), what: `${label}: the app (${d.label}) drains until it is done; SIGKILL cuts it off at ${s(lane.sigkill)}.` }];
  }
  const end = lane.sigterm.seconds + d.seconds;
  const cut = end > lane.sigkill ? `, but SIGKILL cuts it off at ${s(lane.sigkill)}` : '';
  return [{ t: lane.sigterm.seconds, order: 2, time: at(lane.sigterm), what: `${label}: the app drains for up to **${s(d.seconds)}** (${d.label})${cut}.` }];
}

export function timelineMarkdown(
  pod: PodView,
  serving: ReadonlyMap<ContainerView, ServingReason>,
  settings: Settings,
  text: string,
  focus: ContainerView | undefined,
  picture = false,
  configMaps?: ConfigMapLookup,
): string {
  const o = pod.object;
  const tl = podTimeline(pod, serving, configMaps);
  const out: string[] = [];
  const graceWords =
    tl.graceState === 'invalid'
      ? `terminationGracePeriodSeconds is not a whole number; the timeline assumes the default ${s(tl.grace)}`
      : tl.graceState === 'default'
        ? `terminationGracePeriodSeconds not set: the default **${s(tl.grace)}**`
        : tl.graceState === 'negative'
          ? `terminationGracePeriodSeconds ${tl.graceRaw ?? ''}: treated as **${s(tl.grace)}**`
          : `terminationGracePeriodSeconds **${s(tl.grace)}**`;
  out.push(`**Termination timeline** of ${o.kind} ${code(o.name ?? '(unnamed)')} — ${graceWords}`);
  out.push('');
  if (pod.partial) {
    out.push('_This looks like a patch or fragment: fields missing here may come from elsewhere._');
    out.push('');
  }
  if (picture) out.push(timelineImageMarkdown(tl, settings), '');
  const g = tl.grace;
  const all = [...pod.containers, ...pod.sidecars];
  if (!tl.hooksRun) {
    out.push('| t | what happens |', '|---|---|');
    out.push('| 0 s | The pod is marked for deletion; endpoint removal starts and takes seconds to reach kube-proxy, DNS, ingress controllers and load balancers. |');
    out.push('| 0 s | Grace period 0: **preStop hooks do not run**; every container gets SIGTERM and is killed almost at once, while routers may still send it requests. |');
  } else {
    const rows: Row[] = [];
    rows.push({
      t: 0,
      order: 0,
      time: '0 s',
      what: 'The pod is marked for deletion. Endpoint removal starts and takes seconds to reach kube-proxy, DNS, ingress controllers and load balancers; at the same moment the grace countdown starts and every preStop hook begins.',
    });
    for (const lane of tl.main) {
      const label = `${nameOf(lane.container)}${lane.container === focus ? ' ◀' : ''}`;
      rows.push(...mainRows(lane, g, text, label), ...appRows(lane, settings, label));
    }
    const turns = tl.sidecars.length;
    for (const lane of tl.sidecars) {
      const c = lane.container;
      const p = c.preStop;
      const h = lane.hook;
      const hook = p ? `its preStop ${cell(hookText(c, text))}${h.kind === 'timed' && h.form !== 'sleep' ? ` (${at({ seconds: h.seconds, exact: h.exact })})` : ''} started at 0 s with the others` : 'no preStop hook';
      const order = turns > 1 ? ` (${ordinal(lane.turn ?? 1)} of the ${turns} sidecars, in reverse order)` : '';
      const earliest = lane.sigterm && lane.sigterm.seconds > 0 ? `, no earlier than ${s(lane.sigterm.seconds)}` : '';
      rows.push({
        t: undefined,
        order: 3,
        time: 'after main',
        what: `Sidecar ${nameOf(c)}${c === focus ? ' ◀' : ''}: ${hook}; SIGTERM only after every main container has exited${order}${earliest}, from the same grace period.`,
      });
    }
    // Containers whose SIGTERM came less than 2 s before the grace period ends get their SIGKILL later.
    const lanes = [...tl.main, ...tl.sidecars];
    const extended = lanes.filter((l) => l.extension === 'applied' && l.sigkill > g);
    if (extended.length < lanes.length) {
      const except = extended.length > 0 ? ` except ${extended.map((l) => nameOf(l.container)).join(', ')}` : '';
      rows.push({ t: g, order: 9, time: s(g), what: `**SIGKILL** to every container still running${except}.` });
    }
    for (const l of extended) {
      rows.push({
        t: l.sigkill,
        order: 9,
        time: s(l.sigkill),
        what: `${nameOf(l.container)}: **SIGKILL** if still running (${s(l.sigkill - g)} past the grace period: the kubelet's 2 s extension).`,
      });
    }
    rows.sort((a, b) => {
      const ta = a.t ?? (a.order === 9 ? Number.POSITIVE_INFINITY : g - 0.5);
      const tb = b.t ?? (b.order === 9 ? Number.POSITIVE_INFINITY : g - 0.5);
      return ta - tb || a.order - b.order;
    });
    out.push('| t | what happens |', '|---|---|');
    for (const r of rows) out.push(`| ${r.time} | ${cell(r.what)} |`);
    out.push('');
    out.push('A hook that runs past the grace period is cut short; the kubelet then sends SIGTERM with a one-off 2 s extension before SIGKILL.');
  }
  const notes = versionNotes(all, pod.sidecars.length > 0, settings);
  if (notes.length > 0) {
    out.push('', '**Kubernetes versions**', '');
    for (const n of notes) out.push(`- ${n}`);
  }
  out.push('', '**Traffic**', '');
  if (pod.batch) {
    out.push(`- ${o.kind} pods serve no traffic as a rule: no preStop hook is needed.`);
  } else {
    for (const c of all) {
      const r = serving.get(c);
      out.push(
        r
          ? `- ${containerLabel(c)} serves traffic: ${describeReason(r)}.`
          : `- ${containerLabel(c)} serves no traffic: no known Service of namespace ${code(o.namespace || 'default')} targets it${c.ports.length === 0 ? ' and it declares no ports' : ''}.`,
      );
    }
  }
  return out.join('\n');
}

function ordinal(n: number): string {
  const words = ['first', 'second', 'third', 'fourth', 'fifth'];
  return words[n - 1] ?? `#${n}`;
}

function availability(id: FeatureId, target: string): string {
  return featureOnByDefault(id, target) ? `Target ${versionText(target)}: available.` : `**Target ${versionText(target)}: not available**`;
}

function versionNotes(containers: readonly ContainerView[], hasSidecars: boolean, settings: Settings): string[] {
  const notes: string[] = [];
  const target = settings.kubernetesVersion;
  const sleep = containers.filter((c) => c.preStop?.form === 'sleep');
  if (sleep.length > 0) {
    notes.push(
      `The native \`sleep\` action (${sleep.map(nameOf).join(', ')}) is ${describeStages('sleepAction')}. It runs in the kubelet, so the image needs no \`sleep\` binary. ` +
        availability('sleepAction', target) +
        (featureOnByDefault('sleepAction', target) ? '' : ' (the API server rejects it).'),
    );
    const zero = sleep.filter((c) => c.preStop?.sleepSeconds === 0);
    if (zero.length > 0) {
      notes.push(`\`seconds: 0\` (${zero.map(nameOf).join(', ')}) is ${describeStages('sleepActionZero')}. ` + availability('sleepActionZero', target) + (featureOnByDefault('sleepActionZero', target) ? '' : '.'));
    }
  }
  if (hasSidecars) {
    const side = containers.filter((c) => c.role === 'sidecar');
    notes.push(
      `Native sidecars (${side.map(nameOf).join(', ')}) are ${describeStages('sidecarContainers')}. Without the feature these are plain init containers that must exit before the pod starts. ` +
        availability('sidecarContainers', target) +
        (featureOnByDefault('sidecarContainers', target) ? '' : '.'),
    );
  }
  const signal = containers.filter((c) => c.stopSignal !== undefined);
  if (signal.length > 0) {
    notes.push(
      `\`lifecycle.stopSignal\` (${signal.map(nameOf).join(', ')}) is ${describeStages('stopSignals')}; it needs \`spec.os.name\`. ` +
        availability('stopSignals', target) +
        (featureOnByDefault('stopSignals', target) ? '' : ' without the gate turned on.'),
    );
  }
  const exec = containers.filter((c) => c.preStop?.form === 'exec');
  if (exec.length > 0) {
    notes.push(`An \`exec\` hook (${exec.map(nameOf).join(', ')}) runs inside the image: \`sleep\` or a shell must exist there (distroless and scratch images have neither).`);
  }
  if (containers.some((c) => c.preStop?.form === 'tcpSocket')) notes.push('`tcpSocket` as a lifecycle handler is deprecated and not run by the kubelet.');
  return notes;
}

