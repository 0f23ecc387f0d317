/**
 * Hover on `terminationGracePeriodSeconds`, `lifecycle`, `preStop` and the workload's `kind`:
 * the pod's termination timeline from its actual values, as the kubelet runs it.
 */
import { MarkupKind, type Hover } from 'vscode-languageserver';
import {
  containerLabel,
  describeReason,
  servingContainers,
  versionAtLeast,
  type ContainerView,
  type HookDuration,
  type PodView,
  type ServingReason,
  type Settings,
  type Span,
} from '../../core';
import type { DocumentAnalysis } from './analyzer';
import { spanToRange } from './diagnostics';

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

export function hoverAt(da: DocumentAnalysis, offset: number): Hover | null {
  const t = targetAt(da, offset);
  if (!t) return null;
  const serving = servingContainers(t.pod, da.analysis.serviceLookup);
  const value = timelineMarkdown(t.pod, serving, da.effective.settings, da.text, t.container);
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

/** " (15 s)" after a hook whose text does not already say how long it takes. */
function timing(form: string, d: HookDuration): string {
  if (form === 'sleep') return '';
  return ` (${d.exact ? s(d.seconds) : `≥ ${s(d.seconds)}`})`;
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

export function timelineMarkdown(
  pod: PodView,
  serving: ReadonlyMap<ContainerView, ServingReason>,
  settings: Settings,
  text: string,
  focus: ContainerView | undefined,
): string {
  const o = pod.object;
  const grace = pod.grace;
  const out: string[] = [];
  const graceWords = !grace.valid
    ? `terminationGracePeriodSeconds is not a whole number; the timeline assumes the default ${s(grace.seconds)}`
    : !grace.explicit
      ? `terminationGracePeriodSeconds not set: the default **${s(grace.seconds)}**`
      : grace.raw !== undefined && grace.raw < 0
        ? `terminationGracePeriodSeconds ${grace.raw}: treated as **1 s**`
        : `terminationGracePeriodSeconds **${s(grace.seconds)}**`;
  out.push(`**Termination timeline** of ${o.kind} ${code(o.name ?? '(unnamed)')} — ${graceWords}`);
  out.push('');
  if (pod.partial) {
    out.push('_This looks like a patch or fragment: fields missing here may come from elsewhere._');
    out.push('');
  }
  const g = grace.seconds;
  const main = pod.containers;
  const all = [...main, ...pod.sidecars];
  if (grace.raw === 0) {
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
    let overrun = false;
    for (const c of main) {
      const p = c.preStop;
      const label = `${nameOf(c)}${c === focus ? ' ◀' : ''}`;
      if (!p) {
        rows.push({ t: 0, order: 2, time: '0 s', what: `${label}: no preStop hook, **SIGTERM at once**, while routers may still send it requests; ${s(g)} to exit.` });
        continue;
      }
      const d = p.duration;
      const hook = hookText(c, text);
      if (p.form === 'tcpSocket' || p.form === 'other') {
        rows.push({ t: 0, order: 2, time: '0 s', what: `${label}: preStop ${cell(hook)} — no delay; SIGTERM at once, ${s(g)} to exit.` });
        continue;
      }
      if (!d) {
        rows.push({ t: 0, order: 1, time: '0 s →', what: `${label}: preStop ${cell(hook)}, duration **unknown** (as long as it takes, cut off at ${s(g)}).` });
        rows.push({ t: undefined, order: 2, time: 'hook end', what: `${label}: SIGTERM when the hook returns; the app gets the rest of the ${s(g)}.` });
        continue;
      }
      if (d.seconds >= g) {
        overrun = true;
        const rejected = p.form === 'sleep' && d.seconds > g ? ' The API server rejects a sleep action longer than the grace period.' : '';
        rows.push({ t: 0, order: 1, time: `0 → ${s(g)}`, what: `${label}: preStop ${cell(hook)}${timing(p.form, d)} — **cut short** when the grace period ends.${rejected}` });
        rows.push({ t: g, order: 2, time: s(g), what: `${label}: SIGTERM with a one-off **2 s** extension: no time to shut down cleanly.` });
        continue;
      }
      rows.push({ t: 0, order: 1, time: `0 → ${s(d.seconds)}`, what: `${label}: preStop ${cell(hook)}${timing(p.form, d)}; the app keeps serving meanwhile.` });
      rows.push({ t: d.seconds, order: 2, time: d.exact ? s(d.seconds) : `≥ ${s(d.seconds)}`, what: `${label}: SIGTERM; the app has ${d.exact ? '' : 'at most '}**${s(g - d.seconds)}** to exit.` });
    }
    for (const c of pod.sidecars) {
      const p = c.preStop;
      const hook = p ? `its preStop ${cell(hookText(c, text))}${p.duration ? timing(p.form, p.duration) : ''} started at 0 s with the others` : 'no preStop hook';
      rows.push({
        t: undefined,
        order: 3,
        time: 'after main',
        what: `Sidecar ${nameOf(c)}${c === focus ? ' ◀' : ''}: ${hook}; SIGTERM only after every main container has exited (sidecars in reverse order), from the same grace period.`,
      });
    }
    rows.push({
      t: overrun ? g + 2 : g,
      order: 9,
      time: overrun ? `${s(g + 2)}` : s(g),
      what: `**SIGKILL** to every container still running.${overrun ? ` (${s(g)} + the 2 s extension.)` : ''}`,
    });
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
  const notes = versionNotes(all, settings);
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

function versionNotes(containers: readonly ContainerView[], settings: Settings): string[] {
  const notes: string[] = [];
  const target = settings.kubernetesVersion;
  const sleep = containers.filter((c) => c.preStop?.form === 'sleep');
  if (sleep.length > 0) {
    const ok = versionAtLeast(target, 1, 30);
    notes.push(
      `The native \`sleep\` action (${sleep.map(nameOf).join(', ')}) is beta and on by default from 1.30, GA in 1.34; it runs in the kubelet, so the image needs no \`sleep\` binary. ` +
        (ok ? `Target ${target}: available.` : `**Target ${target}: not available** (the API server rejects it).`),
    );
    const zero = sleep.filter((c) => c.preStop?.sleepSeconds === 0);
    if (zero.length > 0) {
      const ok0 = versionAtLeast(target, 1, 33);
      notes.push(`\`seconds: 0\` (${zero.map(nameOf).join(', ')}) is allowed from 1.33 (beta, GA 1.34). ` + (ok0 ? `Target ${target}: available.` : `**Target ${target}: not available.**`));
    }
  }
  const exec = containers.filter((c) => c.preStop?.form === 'exec');
  if (exec.length > 0) {
    notes.push(`An \`exec\` hook (${exec.map(nameOf).join(', ')}) runs inside the image: \`sleep\` or a shell must exist there (distroless and scratch images have neither).`);
  }
  if (containers.some((c) => c.preStop?.form === 'tcpSocket')) notes.push('`tcpSocket` as a lifecycle handler is deprecated and not run by the kubelet.');
  return notes;
}

