/**
 * Spring Boot: with graceful shutdown the web server stops accepting and waits for active
 * requests up to `spring.lifecycle.timeout-per-shutdown-phase` (default 30 s; Boot's
 * LifecycleProperties). Read where a manifest can set it, highest precedence first (Spring
 * Boot's order of property sources): `--spring.lifecycle.timeout-per-shutdown-phase=45s`
 * arguments, `SPRING_APPLICATION_JSON`, `-D` system properties (in the command, or in
 * `JAVA_TOOL_OPTIONS` / `JDK_JAVA_OPTIONS`, which the JVM reads itself), and the
 * `SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE` variable (relaxed binding: dots become `_`,
 * dashes go, upper case) — each variable written in `env` or brought by an `envFrom` ConfigMap in
 * view — and, last, `application.{properties,yaml,yml}` files mounted from ConfigMaps where
 * Spring reads them (spring-files.ts).
 *
 * Whether an app is Spring Boot cannot be told from an image name, and whether graceful
 * shutdown is on depends on the Boot version (the default is graceful from 3.4, immediate
 * before), so the 30 s default is assumed only when the manifest sets
 * `server.shutdown=graceful`; an explicit `server.shutdown=immediate` means no wait.
 */
import type { Span } from '../../types';
import type { ContainerView } from '../workloads';
import { argvOf, envValue, launchesOf, splitWords, type ArgWord } from './launch';
import { mountedFiles, propertyInFile, rankOf, springFileRanks, type MountedFile, type SpringRanks } from './spring-files';
import type { AppEnv, AppOrigin, AppShutdown } from './types';

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
  /** Where it is written when it comes from a ConfigMap. */
  readonly origin?: AppOrigin;
}

interface EnvHit {
  readonly value: string;
  readonly span: Span;
  readonly origin?: AppOrigin;
  readonly where: string;
}

/** A variable's value: from `env` (which wins), else from the last `envFrom` ConfigMap in view that has it. */
function variable(c: ContainerView, name: string, env: AppEnv | undefined): EnvHit | undefined {
  const own = envValue(c, name);
  if (own) return { ...own, where: '' };
  if (c.env.some((e) => e.name === name) || !env) return undefined;
  for (let i = c.envFromSources.length - 1; i >= 0; i--) {
    const src = c.envFromSources[i];
    if (!src || src.configMap === undefined || !name.startsWith(src.prefix)) continue;
    const cm = env.configMaps.get(env.namespace, src.configMap);
    const v = cm?.data.get(name.slice(src.prefix.length));
    if (!cm || !v || v.value === undefined) continue;
    const where = ` from ConfigMap ${src.configMap}`;
    return { value: v.value, span: src.span, where, origin: { message: `${name} in ConfigMap ${src.configMap}`, span: v.span, ...(cm.filePath !== undefined ? { filePath: cm.filePath } : {}) } };
  }
  return undefined;
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
function fromJson(c: ContainerView, prop: string, appEnv: AppEnv | undefined): Found | undefined {
  const env = variable(c, 'SPRING_APPLICATION_JSON', appEnv);
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
  if (value === undefined) return undefined;
  return { value, span: env.span, text: `${prop}: ${value} in SPRING_APPLICATION_JSON${env.where}`, ...(env.origin ? { origin: env.origin } : {}) };
}

function fromEnv(c: ContainerView, prop: string, appEnv: AppEnv | undefined): Found | undefined {
  // Relaxed binding: dashes removed, and the legacy form with dashes as underscores.
  const upper = prop.toUpperCase().replace(/\./g, '_');
  let name = upper.replace(/-/g, '');
  let env = variable(c, name, appEnv);
  if (!env && upper.includes('-')) {
    name = upper.replace(/-/g, '_');
    env = variable(c, name, appEnv);
  }
  return env ? { value: env.value, span: env.span, text: `${name}=${env.value}${env.where}`, ...(env.origin ? { origin: env.origin } : {}) } : undefined;
}

interface SpringFiles {
  readonly files: readonly MountedFile[];
  readonly ranks: SpringRanks;
}

/** The config files mounted where Spring reads them, with their ranks; undefined when there are none. */
function springFiles(c: ContainerView, env: AppEnv | undefined, outer: (p: string) => Found | undefined): SpringFiles | undefined {
  if (!env || c.volumeMounts.length === 0) return undefined;
  const files = mountedFiles(c, env);
  if (files.length === 0) return undefined;
  const profiles = outer('spring.profiles.active')?.value.split(',').map((p) => p.trim()).filter((p) => p !== '') ?? [];
  const ranks = springFileRanks(c, {
    location: outer('spring.config.location')?.value,
    additional: outer('spring.config.additional-location')?.value,
    name: outer('spring.config.name')?.value,
    profiles,
  });
  return ranks ? { files, ranks } : undefined;
}

/** The property in the mounted config files Spring reads, the highest-ranked file that sets it; 'unknown' when that cannot be told. */
function fromFiles(mounted: SpringFiles | undefined, prop: string): Found | 'unknown' | undefined {
  if (!mounted) return undefined;
  const { files, ranks } = mounted;
  let best: { rank: number; found: Found | 'unknown' } | undefined;
  for (const f of files) {
    const rank = rankOf(ranks, f.path);
    if (rank === undefined || (best && best.rank > rank)) continue;
    const v = propertyInFile(f, prop);
    if (v === undefined) continue;
    const base = f.path.slice(f.path.lastIndexOf('/') + 1);
    const found: Found | 'unknown' = v === null ? 'unknown' : { value: v, span: f.mountSpan, text: `${prop}: ${v} in ${base} of ConfigMap ${f.configMap} (mounted at ${f.path})`, origin: f.origin };
    best = { rank, found };
  }
  return best?.found;
}

/**
 * The property's value from the highest-precedence place the manifest sets it, config files
 * aside: a reader for one container, which reads its words once and each property once.
 */
function outerReader(c: ContainerView, env: AppEnv | undefined): (prop: string) => Found | undefined {
  let words: readonly ArgWord[] | undefined;
  let withJvm: readonly ArgWord[] | undefined;
  const memo = new Map<string, Found | undefined>();
  return (prop) => {
    if (memo.has(prop)) return memo.get(prop);
    words ??= [...(argvOf(c) ?? []), ...launchesOf(c).filter((l) => !PRINTERS.has(l.program)).flatMap((l) => l.argv)];
    withJvm ??= [...words, ...jvmOptionWords(c)];
    const found = fromWords(words, prop, '--') ?? fromJson(c, prop, env) ?? fromWords(withJvm, prop, '-D') ?? fromEnv(c, prop, env);
    memo.set(prop, found);
    return found;
  };
}

function jvmOptionWords(c: ContainerView): ArgWord[] {
  const out: ArgWord[] = [];
  for (const name of ['JAVA_TOOL_OPTIONS', 'JDK_JAVA_OPTIONS']) {
    const env = envValue(c, name);
    if (env) for (const value of splitWords(env.value) ?? []) out.push({ value, span: env.span, dynamic: false });
  }
  return out;
}

/** The property's value from the highest-precedence place the manifest sets it; 'unknown' when a config file may set it. */
function springProperty(prop: string, outer: (p: string) => Found | undefined, mounted: () => SpringFiles | undefined): Found | 'unknown' | undefined {
  return outer(prop) ?? fromFiles(mounted(), prop);
}

export function springShutdown(c: ContainerView, env?: AppEnv): AppShutdown | undefined {
  const outer = outerReader(c, env);
  let files: { readonly value: SpringFiles | undefined } | undefined;
  const mounted = (): SpringFiles | undefined => (files ??= { value: springFiles(c, env, outer) }).value;
  const shutdown = springProperty(SHUTDOWN, outer, mounted);
  if (shutdown === 'unknown') return undefined;
  const mode = shutdown?.value.trim().toLowerCase();
  if (mode === 'immediate') return undefined;
  const timeout = springProperty(TIMEOUT, outer, mounted);
  if (timeout === 'unknown') return undefined;
  if (timeout) {
    const seconds = parseSpringDuration(timeout.value);
    if (seconds === undefined) return undefined;
    return { app: 'Spring Boot', seconds, source: 'explicit', span: timeout.span, evidence: timeout.text, ...(timeout.origin ? { origin: timeout.origin } : {}) };
  }
  // envFrom may bring SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE: then the default is not known to hold.
  if (shutdown && mode === 'graceful' && !c.envFrom) {
    return {
      app: 'Spring Boot',
      seconds: SPRING_DEFAULT_PHASE_TIMEOUT,
      source: 'default',
      span: shutdown.span,
      evidence: `Spring Boot's default ${TIMEOUT}, with ${shutdown.text}`,
      ...(shutdown.origin ? { origin: shutdown.origin } : {}),
    };
  }
  return undefined;
}
