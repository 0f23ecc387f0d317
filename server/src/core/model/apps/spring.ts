/**
 * Spring Boot: with graceful shutdown the web server stops accepting and waits for active
 * requests up to `spring.lifecycle.timeout-per-shutdown-phase` (default 30 s; Boot's
 * LifecycleProperties). Read where a manifest can set it, highest precedence first (Spring
 * Boot's order of property sources): `--spring.lifecycle.timeout-per-shutdown-phase=45s`
 * arguments, `SPRING_APPLICATION_JSON`, `-D` system properties (in the command, or in
 * `JAVA_TOOL_OPTIONS` / `JDK_JAVA_OPTIONS`, which the JVM reads itself), and the
 * `SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE` variable (relaxed binding: dots become `_`,
 * dashes go, upper case). An application.yaml in a mounted ConfigMap is not read.
 *
 * Whether an app is Spring Boot cannot be told from an image name, and whether graceful
 * shutdown is on depends on the Boot version (the default is graceful from 3.4, immediate
 * before), so the 30 s default is assumed only when the manifest sets
 * `server.shutdown=graceful`; an explicit `server.shutdown=immediate` means no wait.
 */
import type { Span } from '../../types';
import type { ContainerView } from '../workloads';
import { argvOf, envValue, launchesOf, splitWords, type ArgWord } from './launch';
import type { AppShutdown } from './types';

export const SPRING_DEFAULT_PHASE_TIMEOUT = 30;
const TIMEOUT = 'spring.lifecycle.timeout-per-shutdown-phase';
const SHUTDOWN = 'server.shutdown';

/** Commands whose words are text, not options (a script that echoes a property does not set it). */
const PRINTERS = new Set(['echo', 'printf']);
const UNIT_SECONDS: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Seconds of a Spring Boot duration property: `30s`, `500ms`, `1m`, `2h`, `1d` (suffix case
 * does not matter), a plain number in milliseconds (the default unit of a Duration property
 * without @DurationUnit, as here), or ISO-8601 (`PT45S`, `PT1M30S`, `P1D`). Undefined
 * otherwise, and for negative values.
 */
export function parseSpringDuration(text: string): number | undefined {
  const t = text.trim();
  const simple = /^(\+?\d+)([a-zA-Z]{0,2})$/.exec(t);
  if (simple) {
    const unit = (simple[2] as string).toLowerCase();
    const mult = unit === '' ? 1e-3 : UNIT_SECONDS[unit];
    return mult === undefined ? undefined : Number(simple[1]) * mult;
  }
  const iso = /^\+?[pP](?:(\d+)[dD])?(?:[tT](?:(\d+)[hH])?(?:(\d+)[mM])?(?:(\d+(?:[.,]\d{0,9})?)[sS])?)?$/.exec(t);
  if (iso && !/[tT]$/.test(t) && t.length > 2) {
    const [, d, h, m, s] = iso;
    return Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number((s ?? '0').replace(',', '.'));
  }
  return undefined;
}

/** Property names compared the way relaxed binding does: case, dashes and underscores do not matter. */
function canonical(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

interface Found {
  readonly value: string;
  readonly span: Span;
  /** How it is written, for messages. */
  readonly text: string;
}

/** `--prop=value` (or `-Dprop=value` when `prefix` is '-D') among words; the last one wins. */
function fromWords(words: readonly ArgWord[], prop: string, prefix: '--' | '-D'): Found | undefined {
  let found: Found | undefined;
  for (const w of words) {
    if (!w.value.startsWith(prefix) || w.dynamic) continue;
    const eq = w.value.indexOf('=');
    if (eq === -1 || canonical(w.value.slice(prefix.length, eq)) !== canonical(prop)) continue;
    found = { value: w.value.slice(eq + 1), span: w.span, text: w.value };
  }
  return found;
}

/** A property in SPRING_APPLICATION_JSON, nested (`{"spring":{"lifecycle":{...}}}`) or flat (`{"spring.lifecycle....": ...}`). */
function fromJson(c: ContainerView, prop: string): Found | undefined {
  const env = envValue(c, 'SPRING_APPLICATION_JSON');
  if (!env) return undefined;
  let root: unknown;
  try {
    root = JSON.parse(env.value);
  } catch {
    return undefined;
  }
  const want = canonical(prop);
  // Walk every path of the object; a key may hold dots itself.
  const walk = (node: unknown, path: string, depth: number): string | undefined => {
    if (depth > 16) return undefined;
    if (typeof node === 'string' || typeof node === 'number') return canonical(path) === want ? String(node) : undefined;
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    let hit: string | undefined;
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      const r = walk(v, path === '' ? k : `${path}.${k}`, depth + 1);
      if (r !== undefined) hit = r;
    }
    return hit;
  };
  const value = walk(root, '', 0);
  return value === undefined ? undefined : { value, span: env.span, text: `${prop}: ${value} in SPRING_APPLICATION_JSON` };
}

function fromEnv(c: ContainerView, prop: string): Found | undefined {
  const name = prop.toUpperCase().replace(/\./g, '_').replace(/-/g, '');
  const env = envValue(c, name);
  return env ? { value: env.value, span: env.span, text: `${name}=${env.value}` } : undefined;
}

/** The property's value from the highest-precedence place the manifest sets it. */
function springProperty(c: ContainerView, prop: string): Found | undefined {
  const words: ArgWord[] = [...(argvOf(c) ?? []), ...launchesOf(c).filter((l) => !PRINTERS.has(l.program)).flatMap((l) => l.argv)];
  const jvmOptions: ArgWord[] = [];
  for (const name of ['JAVA_TOOL_OPTIONS', 'JDK_JAVA_OPTIONS']) {
    const env = envValue(c, name);
    if (env) for (const value of splitWords(env.value) ?? []) jvmOptions.push({ value, span: env.span, dynamic: false });
  }
  return fromWords(words, prop, '--') ?? fromJson(c, prop) ?? fromWords([...words, ...jvmOptions], prop, '-D') ?? fromEnv(c, prop);
}

export function springShutdown(c: ContainerView): AppShutdown | undefined {
  const shutdown = springProperty(c, SHUTDOWN);
  const mode = shutdown?.value.trim().toLowerCase();
  if (mode === 'immediate') return undefined;
  const timeout = springProperty(c, TIMEOUT);
  if (timeout) {
    const seconds = parseSpringDuration(timeout.value);
    if (seconds === undefined) return undefined;
    return { app: 'Spring Boot', seconds, source: 'explicit', span: timeout.span, evidence: timeout.text };
  }
  // envFrom may bring SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE: then the default is not known to hold.
  if (shutdown && mode === 'graceful' && !c.envFrom) {
    return {
      app: 'Spring Boot',
      seconds: SPRING_DEFAULT_PHASE_TIMEOUT,
      source: 'default',
      span: shutdown.span,
      evidence: `Spring Boot's default ${TIMEOUT}, with ${shutdown.text}`,
    };
  }
  return undefined;
}
