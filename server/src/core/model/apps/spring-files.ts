/**
 * Spring Boot configuration files that a pod mounts from ConfigMaps: which mounted files Spring
 * reads (`application.{properties,yaml,yml}` and, for active profiles, `application-<profile>.*`
 * in `./` and `./config/` and `./config/<dir>/` of the working directory, or in
 * `spring.config.location` / `spring.config.additional-location`), in Spring's order, and
 * a property's value in them. YAML inside a ConfigMap value is read through core/yaml.
 * Source: Spring Boot reference, "Externalized Configuration" (default locations, profile-specific
 * files always override non-specific ones, later locations override earlier ones, `.properties`
 * wins over `.yaml` in one location).
 */
import type { Span } from '../../types';
import { parsePlainDocuments, type Plain } from '../../yaml/plain';
import type { ContainerView } from '../workloads';
import type { AppEnv, AppOrigin } from './types';

/** A file Spring may read: its path in the container, text, where it is mounted and where its text is written. */
export interface MountedFile {
  readonly path: string;
  readonly text: string | undefined;
  readonly mountSpan: Span;
  readonly configMap: string;
  readonly key: string;
  readonly origin: AppOrigin;
}

/** Already absolute and plain: no empty, `.` or `..` segment, no trailing slash. */
const PLAIN_PATH = /^(\/(?!\.\.?(\/|$))[^/]+)+$/;

function normalize(p: string): string {
  if (PLAIN_PATH.test(p)) return p;
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

/** Every file of a ConfigMap volume the container mounts, with its path in the container. */
export function mountedFiles(c: ContainerView, env: AppEnv): MountedFile[] {
  const out: MountedFile[] = [];
  for (const m of c.volumeMounts) {
    const vol = env.volumes.find((v) => v.name === m.name);
    if (!vol || vol.configMap === undefined) continue;
    const cm = env.configMaps.get(env.namespace, vol.configMap);
    if (!cm) continue;
    for (const [key, v] of cm.data) {
      const inVolume = vol.items ? vol.items.get(key) : key;
      if (inVolume === undefined) continue;
      let path: string;
      if (m.subPath !== undefined) {
        if (normalize(m.subPath) !== normalize(inVolume)) continue;
        path = normalize(m.mountPath);
      } else path = normalize(`${m.mountPath}/${inVolume}`);
      const where = `${key} in ConfigMap ${cm.namespace === '' ? '' : `${cm.namespace}/`}${vol.configMap}`;
      const origin = { message: where, span: v.span, ...(cm.filePath !== undefined ? { filePath: cm.filePath } : {}) };
      out.push({ path, text: v.value, mountSpan: m.span, configMap: vol.configMap, key, origin });
    }
  }
  return out;
}

/** A location as Spring takes it: `optional:` and `file:` prefixes off, relative to the working directory; undefined for `classpath:`. */
function resolveLocation(loc: string, wd: string): { path: string; dir: boolean } | undefined {
  let l = loc.trim().replace(/^optional:/, '');
  if (l.startsWith('classpath:') || l === '') return undefined;
  l = l.replace(/^file:/, '');
  const dir = l.endsWith('/');
  return { path: normalize(l.startsWith('/') ? l : `${wd}/${l}`) + (dir ? '/' : ''), dir };
}

export interface SpringLocations {
  /** `spring.config.location`, replacing the defaults, when set. */
  readonly location: string | undefined;
  readonly additional: string | undefined;
  readonly name: string | undefined;
  readonly profiles: readonly string[];
}

/**
 * The rank of each file Spring would read (higher wins), by path. Lowest first: the
 * non-profile files of each location in order, then the profile files (each profile in
 * order, each location in order); `.properties` over `.yml` over `.yaml` within a place.
 */
export function springFileRanks(c: ContainerView, l: SpringLocations): SpringRanks | undefined {
  const wd = normalize(c.workingDir ?? '/');
  const defaults = [`${wd}/`, `${wd}/config/`, `${wd}/config/*/`].map((p) => p.replace(/\/+/g, '/'));
  const raw = l.location !== undefined ? l.location.split(',') : defaults;
  const locs = [...raw, ...(l.additional?.split(',') ?? [])].map((x) => resolveLocation(x, wd)).filter((x): x is { path: string; dir: boolean } => x !== undefined);
  const name = l.name ?? 'application';
  const exact = new Map<string, number>();
  const wild: WildRank[] = [];
  let rank = 0;
  const exts = ['yaml', 'yml', 'properties'];
  const set = (pattern: string, r: number): void => {
    exact.set(pattern, r);
    const star = pattern.indexOf('/*/');
    if (star !== -1) wild.push({ head: `${pattern.slice(0, star)}/`, tail: pattern.slice(star + 3), rank: r });
  };
  const place = (suffix: string): void => {
    for (const loc of locs) {
      if (!loc.dir) {
        if (suffix === '') set(loc.path, ++rank);
        continue;
      }
      for (const ext of exts) set(`${loc.path}${name}${suffix}.${ext}`, ++rank);
    }
  };
  place('');
  for (const p of l.profiles) place(`-${p}`);
  return { exact, wild };
}

interface WildRank {
  /** The pattern up to `*` (ending in `/`) and after `*\/`. */
  readonly head: string;
  readonly tail: string;
  readonly rank: number;
}

/** The ranks of the files Spring reads: by exact path, and the patterns with `*` for one directory level. */
export interface SpringRanks {
  readonly exact: ReadonlyMap<string, number>;
  readonly wild: readonly WildRank[];
}

/** The rank of a mounted file, `*` in a location matching one directory level. */
export function rankOf(ranks: SpringRanks, path: string): number | undefined {
  const direct = ranks.exact.get(path);
  if (direct !== undefined) return direct;
  let best: number | undefined;
  for (const { head, tail, rank } of ranks.wild) {
    if (!path.startsWith(head)) continue;
    const rest = path.slice(head.length);
    const slash = rest.indexOf('/');
    if (slash > 0 && rest.slice(slash + 1) === tail) best = Math.max(best ?? 0, rank);
  }
  return best;
}

function canonical(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

/** The value at a dotted property in plain values (nested maps, or keys holding dots); null (unknown) for a non-scalar there. */
function inPlain(node: Plain | undefined, prop: string): string | null | undefined {
  const want = canonical(prop);
  let hit: string | null | undefined;
  const walk = (n: Plain, path: string, depth: number): void => {
    if (depth > 16) return;
    if (n.kind === 'map') {
      for (const e of n.entries) walk(e.value, path === '' ? e.key : `${path}.${e.key}`, depth + 1);
      return;
    }
    if (canonical(path) !== want) return;
    if (n.kind === 'string') hit = n.value;
    else if (n.kind === 'number') hit = n.source ?? String(n.value);
    else hit = null;
  };
  if (node) walk(node, '', 0);
  return hit;
}

function isConditional(doc: Plain | undefined): boolean {
  return inPlain(doc, 'spring.config.activate.on-profile') !== undefined || inPlain(doc, 'spring.config.activate.on-cloud-platform') !== undefined || inPlain(doc, 'spring.profiles') !== undefined;
}

/** A `.properties` file's value of `prop` (the last line wins); undefined when not set. */
function inProperties(text: string, prop: string): string | undefined {
  let value: string | undefined;
  const want = canonical(prop);
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!') || line.endsWith('\\')) continue;
    const m = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (m && canonical(m[1] as string) === want) value = (m[2] as string).trim();
  }
  return value;
}

/** The property in one file: a value, undefined when not set, or null when unknown (unreadable, or set in a document that applies only sometimes). */
export function propertyInFile(f: MountedFile, prop: string): string | null | undefined {
  if (f.text === undefined) return null;
  if (f.path.endsWith('.properties')) return inProperties(f.text, prop);
  const docs = parsePlainDocuments(f.text);
  if (!docs) return null;
  let value: string | null | undefined;
  for (const doc of docs) {
    const v = inPlain(doc, prop);
    if (v === undefined) continue;
    value = isConditional(doc) ? null : v;
  }
  return value;
}
