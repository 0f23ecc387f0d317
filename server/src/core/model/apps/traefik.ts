/**
 * Traefik: on SIGTERM each entry point first keeps accepting for
 * `transport.lifeCycle.requestAcceptGraceTimeout` (default 0, so it acts like a preStop
 * sleep), then lets active requests finish for `transport.lifeCycle.graceTimeOut` (default
 * 10 s); entry points stop side by side, so the longest entry point counts. Read from
 * `--entryPoints.<name>.transport.lifeCycle.*` arguments (Traefik's options are
 * case-insensitive) and `TRAEFIK_ENTRYPOINTS_<NAME>_TRANSPORT_LIFECYCLE_*` variables. Values
 * are Go durations, or plain seconds. With a `--configFile` the default is not assumed.
 * Traefik runs when it is the program, or when the container only passes options to an
 * image named `traefik` (its entrypoint then starts traefik with them).
 * Source: traefik pkg/config/static/static_config.go (DefaultGraceTimeout, LifeCycle),
 * traefik-helm-chart traefik/templates/_podtemplate.tpl.
 */
import type { Span } from '../../types';
import { parseImageRef } from '../images';
import { parseGoDuration } from '../mesh';
import type { ContainerView } from '../workloads';
import { argvOf, launchOfProgram, type ArgWord } from './launch';
import type { AppShutdown } from './types';

export const TRAEFIK_DEFAULT_GRACE_TIMEOUT = 10;

/** Seconds of a Traefik duration: a plain number is seconds, else a Go duration. */
export function parseTraefikDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  return parseGoDuration(t);
}

interface Setting {
  readonly seconds: number;
  readonly span: Span;
  readonly text: string;
}

interface EntryPoint {
  grace?: Setting;
  accept?: Setting;
}

const ARG = /^--entrypoints\.([^.=]+)\.(address|transport\.lifecycle\.gracetimeout|transport\.lifecycle\.requestacceptgracetimeout)$/;
const ENV = /^TRAEFIK_ENTRYPOINTS_([A-Z0-9]+)_(ADDRESS|TRANSPORT_LIFECYCLE_GRACETIMEOUT|TRANSPORT_LIFECYCLE_REQUESTACCEPTGRACETIMEOUT)$/;

/** The options Traefik gets: after the program, or all of argv when the image's entrypoint adds the program. */
function traefikArgs(c: ContainerView): { args: readonly ArgWord[]; span: Span } | undefined {
  const launch = launchOfProgram(c, new Set(['traefik']));
  if (launch) return { args: launch.args, span: launch.span };
  if (c.command !== undefined || c.commandSpan !== undefined) return undefined;
  if (parseImageRef(c.image ?? '')?.name !== 'traefik') return undefined;
  const argv = argvOf(c) ?? [];
  if (argv.some((w) => !w.value.startsWith('-'))) return undefined;
  return { args: argv, span: c.imageSpan ?? c.span };
}

export function traefikShutdown(c: ContainerView): AppShutdown | undefined {
  const found = traefikArgs(c);
  if (!found) return undefined;
  const eps = new Map<string, EntryPoint>();
  const ep = (name: string): EntryPoint => {
    const key = name.toLowerCase();
    let e = eps.get(key);
    if (!e) eps.set(key, (e = {}));
    return e;
  };
  let unknown = false;
  const take = (name: string, field: string, value: string, span: Span, dynamic: boolean, written: string): void => {
    const e = ep(name);
    if (field === 'address') return;
    const seconds = dynamic ? undefined : parseTraefikDuration(value);
    if (seconds === undefined) {
      unknown = true;
      return;
    }
    const s = { seconds, span, text: written };
    if (field.endsWith('requestacceptgracetimeout')) e.accept = s;
    else e.grace = s;
  };
  const args = found.args;
  for (let i = 0; i < args.length; i++) {
    const w = args[i] as ArgWord;
    const eq = w.value.indexOf('=');
    const key = (eq === -1 ? w.value : w.value.slice(0, eq)).toLowerCase();
    if (key === '--configfile') return undefined;
    const m = ARG.exec(key);
    if (!m) continue;
    const name = m[1] as string;
    const field = m[2] as string;
    if (eq !== -1) take(name, field, w.value.slice(eq + 1), w.span, w.dynamic, w.value);
    else {
      const next = args[i + 1];
      if (next && !next.value.startsWith('-')) {
        take(name, field, next.value, next.span, next.dynamic, `${w.value} ${next.value}`);
        i++;
      }
    }
  }
  for (const e of c.env) {
    if (e.name.toUpperCase() === 'TRAEFIK_CONFIGFILE') return undefined;
    const m = ENV.exec(e.name.toUpperCase());
    if (!m) continue;
    if (e.value === undefined) {
      unknown = true;
      continue;
    }
    const field = (m[2] as string).toLowerCase().replace(/_/g, '.');
    take(m[1] as string, field, e.value, e.span, false, `${e.name}=${e.value}`);
  }
  if (unknown) return undefined;
  if (eps.size === 0) ep('default');
  let best: { name: string; seconds: number; e: EntryPoint } | undefined;
  for (const [name, e] of eps) {
    const seconds = (e.accept?.seconds ?? 0) + (e.grace?.seconds ?? TRAEFIK_DEFAULT_GRACE_TIMEOUT);
    if (!best || seconds > best.seconds) best = { name, seconds, e };
  }
  if (!best) return undefined;
  const { e } = best;
  const written = e.grace ?? e.accept;
  if (!written) {
    if (c.envFrom) return undefined; // it may bring TRAEFIK_ENTRYPOINTS_* variables
    return {
      app: 'Traefik',
      seconds: best.seconds,
      source: 'default',
      span: found.span,
      evidence: "Traefik's default graceTimeOut",
    };
  }
  const parts: string[] = [];
  if (e.accept) parts.push(e.accept.text);
  parts.push(e.grace ? e.grace.text : `the default graceTimeOut (${TRAEFIK_DEFAULT_GRACE_TIMEOUT} s)`);
  return { app: 'Traefik', seconds: best.seconds, source: 'explicit', span: written.span, evidence: parts.join(' then ') };
}
