/**
 * Rewrites of a preStop hook between its two sleep forms — `exec: {command: ["sleep", "N"]}`
 * and the native `sleep: {seconds: N}` — and of a sleep's length. The hook's handler entry
 * is replaced in place, in the style it was written in (block or flow), at the indentation
 * its children already use. Undefined whenever that cannot be done exactly.
 */
import type { PlainSleep, SleepOperand } from '../model/sleeps';
import type { ContainerView, PodView, PreStopView } from '../model/workloads';
import type { FixEnv } from '../rules/types';
import type { TextEdit } from '../types';
import { jsonDocument, renderFlow, renderFlowEntry } from '../yaml/edit';
import { asMap, asSeq, DocContext, get, type Entry, type YNode } from '../yaml/nodes';
import { columnOf, onlyIndentBefore } from '../yaml/text';
import { replaceInScalar } from './scalar-text';

interface Ranged {
  range?: [number, number, number] | null;
}

function rangeOf(node: unknown): [number, number, number] | undefined {
  const r = (node as Ranged | null | undefined)?.range;
  return r ?? undefined;
}

function isFlow(node: unknown): boolean {
  return (node as { flow?: boolean } | null)?.flow === true;
}

/** The one handler entry of a preStop map (`exec`, `sleep`, ...); undefined when there are others or aliases. */
function soleHandler(ctx: DocContext, p: PreStopView, key: string): Entry | undefined {
  if (p.viaAlias || p.node.items.length !== 1) return undefined;
  const e = get(ctx, p.node, key);
  if (!e || e.viaAlias) return undefined;
  return e;
}

/** Replaces a handler entry `key: value` with `newKey:` + a one-key child map. */
function replaceHandler(ctx: DocContext, env: FixEnv, e: Entry, newKey: string, childKey: string, childValue: number | readonly string[]): TextEdit | undefined {
  const kr = rangeOf(e.pair.key);
  const vr = rangeOf(e.value);
  if (!kr || !vr) return undefined;
  const start = ctx.base + kr[0];
  let end = ctx.base + vr[1];
  while (end > start && /\s/.test(env.text[end - 1] ?? '')) end--;
  const value = asMap(e.value);
  if (!value) return undefined;
  if (isFlow(value)) return { start, end, newText: renderFlowEntry(ctx, newKey, { [childKey]: childValue }, env.style) };
  if (jsonDocument(ctx)) return undefined;
  if (!onlyIndentBefore(env.text, start)) return undefined;
  // Block: the child goes at the column the existing child uses.
  const first = value.items[0] as { key?: unknown } | undefined;
  const fr = rangeOf(first?.key);
  if (!fr) return undefined;
  const childCol = columnOf(env.text, ctx.base + fr[0]);
  const keyCol = columnOf(env.text, start);
  if (childCol <= keyCol) return undefined;
  return { start, end, newText: `${newKey}:${env.style.eol}${' '.repeat(childCol)}${childKey}: ${renderFlow(childValue, env.style)}` };
}

/** `sleep: {seconds: N}` → `exec: {command: ["sleep", "N"]}`. */
export function nativeToExecEdit(pod: PodView, c: ContainerView, env: FixEnv): TextEdit | undefined {
  const p = c.preStop;
  if (!p || p.form !== 'sleep' || p.sleepSeconds === undefined || p.sleepSeconds < 0 || c.viaAlias || pod.specViaAlias) return undefined;
  const e = soleHandler(pod.ctx, p, 'sleep');
  if (!e) return undefined;
  const sleepMap = asMap(e.value);
  if (!sleepMap || sleepMap.items.length !== 1) return undefined;
  return replaceHandler(pod.ctx, env, e, 'exec', 'command', ['sleep', String(p.sleepSeconds)]);
}

/** `exec: {command: ["sleep", "N"]}` (or `sh -c "sleep N"`) → `sleep: {seconds: N}`. */
export function execToNativeEdit(pod: PodView, c: ContainerView, plain: PlainSleep, env: FixEnv): TextEdit | undefined {
  const p = c.preStop;
  if (!p || p.form !== 'exec' || c.viaAlias || pod.specViaAlias) return undefined;
  const e = soleHandler(pod.ctx, p, 'exec');
  if (!e) return undefined;
  const execMap = asMap(e.value);
  if (!execMap || execMap.items.length !== 1) return undefined;
  return replaceHandler(pod.ctx, env, e, 'sleep', 'seconds', plain.seconds);
}

/** The argv item node of an exec hook; undefined when it is reached through an alias. */
export function execArgvNode(ctx: DocContext, p: PreStopView, index: number): YNode | undefined {
  if (p.viaAlias) return undefined;
  const exec = get(ctx, p.node, 'exec');
  if (!exec || exec.viaAlias) return undefined;
  const cmd = get(ctx, asMap(exec.value), 'command');
  if (!cmd || cmd.viaAlias) return undefined;
  const seq = asSeq(cmd.value);
  const item = seq?.items[index];
  const d = ctx.deref(item);
  if (d.viaAlias || !d.node) return undefined;
  return d.node;
}

/** Sets an exec hook's sleep operand to `seconds`, keeping a `s` suffix; undefined for other units. */
export function setExecSleepEdit(pod: PodView, c: ContainerView, op: SleepOperand, seconds: number, env: FixEnv): TextEdit | undefined {
  const p = c.preStop;
  if (!p || p.form !== 'exec' || c.viaAlias || pod.specViaAlias) return undefined;
  const m = /^(\d+(?:\.\d+)?)(s?)$/.exec(op.text);
  if (!m || m[1] === undefined) return undefined;
  const node = execArgvNode(pod.ctx, p, op.argvIndex);
  if (!node) return undefined;
  const from = op.kind === 'argv' ? 0 : op.scriptOffset;
  return replaceInScalar(pod.ctx, env.text, node, from, from + m[1].length, String(seconds));
}
