/**
 * A seeded generator of valid Kubernetes manifests for property-based testing of the fixes.
 * Where the mutation fuzzer damages real files, this one builds well-formed ones that combine
 * what makes an edit dangerous: anchors, aliases and `<<` merges at every level (shared
 * container lists, items, lifecycles and grace periods, aliases above the pod spec), literal
 * and folded block scalars (init scripts that end in `#` lines), JSON documents, directive
 * comments, a BOM, CRLF, `kind: List`, every workload kind, grace periods of zero or less and
 * mesh drain annotations.
 *
 * A case is a plain JSON value (a tree of nodes per document plus file-wide choices) rendered
 * deterministically, so that a failing case can be shrunk node by node, saved and replayed.
 */
import { Rng, iterationSeed } from './random';

export type ScalarValue = string | number | boolean | null;

export type GNode =
  | { readonly t: 's'; readonly v: ScalarValue; readonly q?: 'dq' | 'sq'; readonly nullText?: '' | '~' | 'null'; readonly anchor?: string }
  | { readonly t: 'block'; readonly style: '|' | '>'; readonly lines: readonly string[]; readonly chomp?: '-' | '+' }
  | { readonly t: 'map'; readonly e: readonly GEntry[]; readonly anchor?: string; readonly flow?: boolean }
  | { readonly t: 'seq'; readonly items: readonly GNode[]; readonly anchor?: string; readonly flow?: boolean }
  | { readonly t: 'alias'; readonly name: string };

export interface GEntry {
  readonly k: string;
  readonly v: GNode;
  /** Comment lines written just above the key. */
  readonly above?: readonly string[];
  /** A comment after a scalar value on the same line. */
  readonly after?: string;
}

export interface GDoc {
  readonly node: GNode;
  /** Written as JSON (flow style throughout): pretty-printed, or on one line. */
  readonly json?: 'pretty' | 'compact';
}

export interface GenCase {
  readonly docs: readonly GDoc[];
  readonly bom: boolean;
  readonly crlf: boolean;
  readonly step: 2 | 4;
  /** Sequences indented under their key (`key:\n  - x`) rather than at its column. */
  readonly seqIndented: boolean;
  readonly leadingMarker: boolean;
  /** Index into the settings variants of the checker. */
  readonly settingsVariant: number;
  /** What the generator put in, for reports. */
  readonly features: readonly string[];
}

// ---------------------------------------------------------------------------------------
// Rendering

const PLAIN_RE = /^[A-Za-z_/][A-Za-z0-9_.\-/]*$/;
const RESERVED_RE = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

function scalarText(n: Extract<GNode, { t: 's' }>): string {
  return n.anchor ? `&${n.anchor} ${bareScalarText(n)}` : bareScalarText(n);
}

function bareScalarText(n: Extract<GNode, { t: 's' }>): string {
  const v = n.v;
  if (v === null) return n.nullText ?? 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (n.q === 'sq') return `'${v.replace(/'/g, "''")}'`;
  if (n.q === 'dq' || !PLAIN_RE.test(v) || RESERVED_RE.test(v)) return JSON.stringify(v);
  return v;
}

function keyText(k: string): string {
  return PLAIN_RE.test(k) || k === '<<' ? k : JSON.stringify(k);
}

function flowText(n: GNode): string {
  switch (n.t) {
    case 's':
      return n.v === null && n.nullText === '' ? 'null' : scalarText(n);
    case 'alias':
      return `*${n.name}`;
    case 'block':
      return JSON.stringify(n.lines.join('\n') + '\n');
    case 'map':
      return `${n.anchor ? `&${n.anchor} ` : ''}{${n.e.map((e) => `${keyText(e.k)}: ${flowText(e.v)}`).join(', ')}}`;
    case 'seq':
      return `${n.anchor ? `&${n.anchor} ` : ''}[${n.items.map(flowText).join(', ')}]`;
  }
}

interface Layout {
  readonly step: number;
  readonly seqIndented: boolean;
}

/** Lines of a block map's entries at column `col`. */
function mapLines(entries: readonly GEntry[], col: number, L: Layout, out: string[], firstPrefix?: string): void {
  entries.forEach((e, i) => {
    const pad = i === 0 && firstPrefix !== undefined ? firstPrefix : ' '.repeat(col);
    for (const c of e.above ?? []) {
      // A comment above the first entry of an item goes above the item's `- ` line.
      if (i === 0 && firstPrefix !== undefined) out.push(`${' '.repeat(col - 2)}${c}`);
      else out.push(`${' '.repeat(col)}${c}`);
    }
    valueLines(`${pad}${keyText(e.k)}:`, e.v, col, L, out);
    if (e.after !== undefined && (e.v.t === 's' || e.v.t === 'alias')) out[out.length - 1] += `  ${e.after}`;
  });
}

/** `head` is `<indent>key:` or `<indent>- `; the value goes after it or on the next lines. */
function valueLines(head: string, v: GNode, col: number, L: Layout, out: string[]): void {
  const sep = head.endsWith(' ') ? '' : ' ';
  switch (v.t) {
    case 's':
      out.push(v.v === null && v.nullText === '' ? head.trimEnd() : `${head}${sep}${scalarText(v)}`);
      return;
    case 'alias':
      out.push(`${head}${sep}*${v.name}`);
      return;
    case 'block': {
      out.push(`${head}${sep}${v.style}${v.chomp ?? ''}`);
      for (const line of v.lines) out.push(line === '' ? '' : `${' '.repeat(col + L.step)}${line}`);
      // Kept trailing newlines show as blank lines.
      if (v.chomp === '+') out.push('');
      return;
    }
    case 'map': {
      const anchor = v.anchor ? `${sep}&${v.anchor}` : '';
      if (v.flow || v.e.length === 0) {
        out.push(`${head}${sep}${flowText(v)}`);
        return;
      }
      if (head.endsWith('- ') && !v.anchor) {
        // Compact: the first entry on the item's line.
        mapLines(v.e, col + 2, L, out, head);
        return;
      }
      out.push(`${head}${anchor}`.trimEnd());
      mapLines(v.e, head.endsWith('- ') ? col + 2 : col + L.step, L, out);
      return;
    }
    case 'seq': {
      if (v.flow || v.items.length === 0) {
        out.push(`${head}${sep}${flowText(v)}`);
        return;
      }
      const anchor = v.anchor ? `${sep}&${v.anchor}` : '';
      out.push(`${head}${anchor}`.trimEnd());
      const itemCol = head.endsWith('- ') ? col + 2 : L.seqIndented ? col + L.step : col;
      for (const item of v.items) valueLines(`${' '.repeat(itemCol)}- `, item, itemCol, L, out);
      return;
    }
  }
}

/** A node as plain JS (aliases resolved, merges applied), for JSON rendering. */
export function toPlain(n: GNode, anchors: Map<string, unknown> = new Map()): unknown {
  let out: unknown;
  switch (n.t) {
    case 's':
      out = n.v;
      break;
    case 'block': {
      const body = n.style === '|' ? n.lines.join('\n') : n.lines.join(' ');
      return n.chomp === '-' ? body : n.chomp === '+' ? `${body}\n\n` : `${body}\n`;
    }
    case 'alias':
      return anchors.get(n.name);
    case 'map': {
      const o: Record<string, unknown> = {};
      for (const e of n.e) {
        const v = toPlain(e.v, anchors);
        if (e.k === '<<' && typeof v === 'object' && v !== null) {
          for (const [k, x] of Object.entries(v)) if (!(k in o)) o[k] = x;
        } else o[e.k] = v;
      }
      out = o;
      break;
    }
    case 'seq':
      out = n.items.map((i) => toPlain(i, anchors));
      break;
  }
  if (n.anchor) anchors.set(n.anchor, out);
  return out;
}

export function renderDoc(d: GDoc, L: Layout): string {
  if (d.json) return JSON.stringify(toPlain(d.node), null, d.json === 'pretty' ? L.step : undefined) + '\n';
  const out: string[] = [];
  if (d.node.t === 'map') mapLines(d.node.e, 0, L, out);
  else valueLines('', d.node, 0, L, out);
  return out.join('\n') + '\n';
}

export function renderCase(c: GenCase): string {
  const L: Layout = { step: c.step, seqIndented: c.seqIndented };
  const parts = c.docs.map((d) => renderDoc(d, L));
  let text = (c.leadingMarker ? '---\n' : '') + parts.join('---\n');
  if (c.crlf) text = text.replace(/\n/g, '\r\n');
  return (c.bom ? '\uFEFF' : '') + text;
}

// ---------------------------------------------------------------------------------------
// Building blocks

const s = (v: ScalarValue, q?: 'dq' | 'sq'): GNode => (q ? { t: 's', v, q } : { t: 's', v });
const m = (...e: GEntry[]): Extract<GNode, { t: 'map' }> => ({ t: 'map', e });
const seq = (...items: GNode[]): Extract<GNode, { t: 'seq' }> => ({ t: 'seq', items });
const kv = (k: string, v: GNode, above?: readonly string[]): GEntry => (above && above.length > 0 ? { k, v, above } : { k, v });
const strs = (...xs: string[]): GNode => ({ t: 'seq', items: xs.map((x) => s(x, 'dq')), flow: true });

const IMAGES = ['example/web:1.4', 'nginx:1.27', 'gcr.io/distroless/static:nonroot', 'busybox:1.36', 'example/api:2.0', 'registry.example.com/team/worker:7'];
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Pod', 'PodTemplate'] as const;
type WorkloadKind = (typeof WORKLOAD_KINDS)[number];
const API: Readonly<Record<WorkloadKind, string>> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  ReplicationController: 'v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
  Pod: 'v1',
  PodTemplate: 'v1',
};
const DIRECTIVE_RULES = ['prestop-hook-missing', 'grace-period-too-short', 'grace-period-zero', 'prestop-sleep-too-short', 'shell-wrapper-blocks-sigterm', 'mesh-drain-exceeds-grace'];

/** What the generator may put in; everything by default. */
export interface GenOptions {
  /** Anchors, aliases and merges (objects sharing containers, items, lifecycles, grace, templates, specs). */
  readonly aliases?: boolean;
  /** Grace periods of zero or less. */
  readonly nonPositiveGrace?: boolean;
  /** Settings whose shutdownSeconds is shorter than minShutdownSeconds (the last settings variant). */
  readonly shortShutdown?: boolean;
}

/** Counters shared by the documents of one file, so that names, anchors and directives are unique in it. */
interface Counters {
  anchor: number;
  name: number;
  directive: number;
}

class Builder {
  readonly features = new Set<string>();

  constructor(
    readonly rng: Rng,
    private readonly n: Counters,
    /** No anchors, comments or block scalars: the document will be written as JSON. */
    readonly json: boolean,
    readonly opts: GenOptions = {},
  ) {}

  anchor(prefix: string): string {
    return `${prefix}${++this.n.anchor}`;
  }

  name(prefix: string): string {
    return `${prefix}-${++this.n.name}`;
  }

  directive(): string[] {
    if (this.json || !this.rng.chance(0.15)) return [];
    this.features.add('directive');
    return [`# kube-graceful-disable-next-line ${this.rng.pick(DIRECTIVE_RULES)} -- reason ${++this.n.directive}`];
  }

  /** A hook in one of the forms the rules read, sized so that the API server accepts it. */
  lifecycle(grace: number | undefined): GEntry | undefined {
    const r = this.rng;
    const max = grace === undefined ? 30 : grace;
    const n = max >= 1 ? r.int(1, Math.min(max, 40)) : 0;
    switch (r.int(0, 9)) {
      case 0:
      case 1:
      case 2:
        return undefined;
      case 3:
        this.features.add('lifecycle-empty');
        return kv('lifecycle', r.chance(0.5) || this.json ? m() : { t: 's', v: null, nullText: r.pick(['', '~', 'null'] as const) });
      case 4:
        if (this.json) return kv('lifecycle', { t: 's', v: null });
        this.features.add('lifecycle-poststart');
        return kv('lifecycle', m(kv('postStart', m(kv('exec', m(kv('command', strs('sh', '-c', 'echo started'))))))));
      case 5:
        if (max < 1) return undefined;
        this.features.add('native-sleep');
        return kv('lifecycle', m(kv('preStop', m(kv('sleep', m(kv('seconds', s(n))))))));
      case 6:
        this.features.add('exec-sleep');
        return kv('lifecycle', m(kv('preStop', m(kv('exec', m(kv('command', strs('sleep', String(r.pick([1, 2, 3, n]))))))))));
      case 7:
        this.features.add('sh-sleep');
        return kv('lifecycle', m(kv('preStop', m(kv('exec', m(kv('command', strs('/bin/sh', '-c', `sleep ${r.pick([2, 3, n])}`))))))));
      default:
        return undefined;
    }
  }

  container(grace: number | undefined, opts: { anchor?: string; serving?: boolean; sidecar?: boolean } = {}): Extract<GNode, { t: 'map' }> {
    const r = this.rng;
    const image = kv('image', s(r.pick(IMAGES)));
    const e: GEntry[] = [kv('name', s(this.name('app')), this.directive()), !this.json && r.chance(0.2) ? { ...image, after: '# pinned' } : image];
    if (r.chance(0.25)) {
      this.features.add('shell-wrapper');
      e.push(kv('command', strs('sh', '-c')));
      const script = r.pick(['node server.js', 'python -m app --port 8080', 'java -jar /app.jar']);
      if (!this.json && r.chance(0.4)) {
        const chomp = r.pick([undefined, '-', '+'] as const);
        this.features.add(`script-block${chomp ?? ''}`);
        e.push(kv('args', seq(chomp ? { t: 'block', style: '|', lines: ['echo starting', script], chomp } : { t: 'block', style: '|', lines: ['echo starting', script] })));
      } else e.push(kv('args', seq(s(script))));
    }
    if (opts.serving ?? r.chance(0.85)) e.push(kv('ports', seq(m(kv('containerPort', s(r.pick([8080, 80, 3000]))), kv('name', s('http')))), this.directive()));
    const lc = this.lifecycle(grace);
    if (lc) e.push(lc);
    if (opts.sidecar) e.push(kv('restartPolicy', s('Always')));
    if (!this.json && !opts.anchor && r.chance(0.12) && e.every((x) => !x.above && !x.after)) {
      this.features.add('flow-container');
      return { t: 'map', e, flow: true };
    }
    return opts.anchor ? { t: 'map', e, anchor: opts.anchor } : { t: 'map', e };
  }

  /** An init container running a script; its block scalar may end in `#` lines. */
  initContainer(): Extract<GNode, { t: 'map' }> {
    const r = this.rng;
    const lines = ['set -e', 'echo preparing', ...(r.chance(0.7) ? ['# the last lines of the script are comments', '# and belong to it'] : [])];
    const style: '|' | '>' = r.chance(0.7) ? '|' : '>';
    if (!this.json) this.features.add(style === '|' ? 'literal-block' : 'folded-block');
    const script: GNode = this.json ? s(lines.join('\n') + '\n') : { t: 'block', style, lines };
    return m(kv('name', s(this.name('init'))), kv('image', s('busybox:1.36')), kv('command', strs('sh', '-c')), kv('args', seq(script)));
  }

  grace(): number | undefined {
    const r = this.rng;
    const g = r.pick(this.opts.nonPositiveGrace === false ? [undefined, undefined, 5, 7, 8, 10, 30, 45, 60] : [undefined, undefined, 0, -1, 5, 7, 8, 10, 30, 45, 60]);
    if (g !== undefined && g <= 0) this.features.add('grace<=0');
    return g;
  }

  podSpec(grace: number | undefined, containers: GNode): Extract<GNode, { t: 'map' }> {
    const r = this.rng;
    const e: GEntry[] = [];
    const graceEntry = grace === undefined ? undefined : kv('terminationGracePeriodSeconds', s(grace), this.directive());
    if (graceEntry && r.chance(0.3)) e.push(graceEntry);
    if (r.chance(0.3)) {
      const inits: GNode[] = [this.initContainer()];
      if (r.chance(0.4)) {
        this.features.add('native-sidecar');
        inits.push(this.container(grace, { sidecar: true }));
      }
      e.push(kv('initContainers', seq(...inits)));
    }
    e.push(kv('containers', containers, this.directive()));
    if (graceEntry && !e.includes(graceEntry)) e.push(graceEntry);
    return m(...e);
  }

  templateMeta(app: string): Extract<GNode, { t: 'map' }> {
    const r = this.rng;
    const e: GEntry[] = [kv('labels', m(kv('app', s(app))))];
    if (r.chance(0.25)) {
      this.features.add('mesh-drain');
      e.push(
        kv(
          'annotations',
          r.chance(0.5)
            ? m(kv('proxy.istio.io/config', s(`{"terminationDrainDuration": "${r.pick([20, 45, 90])}s"}`, 'sq')))
            : m(kv('config.linkerd.io/shutdown-grace-period', s(`${r.pick([30, 60, 120])}s`))),
        ),
      );
    }
    return m(...e);
  }

  /** The object's map around a pod spec, for every kind. */
  workload(kind: WorkloadKind, spec: GNode, app: string, opts: { templateAnchor?: string; templateNode?: GNode } = {}): Extract<GNode, { t: 'map' }> {
    this.features.add(`kind:${kind}`);
    const meta = kv('metadata', m(kv('name', s(this.name(kind.toLowerCase())))));
    const head = [kv('apiVersion', s(API[kind])), kv('kind', s(kind)), meta];
    const template: GNode = opts.templateNode ?? { t: 'map', e: [kv('metadata', this.templateMeta(app)), kv('spec', spec)], ...(opts.templateAnchor ? { anchor: opts.templateAnchor } : {}) };
    const selector = kv('selector', m(kv('matchLabels', m(kv('app', s(app))))));
    switch (kind) {
      case 'Pod':
        return m(kv('apiVersion', s('v1')), kv('kind', s('Pod')), kv('metadata', m(kv('name', s(this.name('pod'))), kv('labels', m(kv('app', s(app)))))), kv('spec', spec));
      case 'PodTemplate':
        return m(...head, kv('template', template));
      case 'Job':
        return m(...head, kv('spec', m(kv('template', template))));
      case 'CronJob':
        return m(...head, kv('spec', m(kv('schedule', s('*/5 * * * *', 'dq')), kv('jobTemplate', m(kv('spec', m(kv('template', template))))))));
      case 'ReplicationController':
        return m(...head, kv('spec', m(kv('selector', m(kv('app', s(app)))), kv('template', template))));
      default:
        return m(...head, kv('spec', m(kv('replicas', s(2)), selector, kv('template', template))));
    }
  }

  /** One standalone workload: a pod spec of one to three containers. */
  simple(): Extract<GNode, { t: 'map' }> {
    const r = this.rng;
    const kind = r.pick(WORKLOAD_KINDS);
    const grace = this.grace();
    const n = r.int(1, 3);
    const items: GNode[] = [];
    for (let i = 0; i < n; i++) items.push(this.container(grace));
    if (!this.json && this.opts.aliases !== false && r.chance(0.15)) {
      // An item merged from another item of the same list.
      const first = items[0];
      if (first && first.t === 'map') {
        const a = this.anchor('base');
        items[0] = { ...first, anchor: a };
        items.push(m(kv('<<', { t: 'alias', name: a }), kv('name', s(this.name('merged')))));
        this.features.add('merge-item-same-pod');
      }
    }
    return this.workload(kind, this.podSpec(grace, seq(...items)), this.name('app'));
  }

  service(app: string): Extract<GNode, { t: 'map' }> {
    return m(
      kv('apiVersion', s('v1')),
      kv('kind', s('Service')),
      kv('metadata', m(kv('name', s(this.name('svc'))))),
      kv('spec', m(kv('selector', m(kv('app', s(app)))), kv('ports', seq(m(kv('port', s(80)), kv('targetPort', s(8080))))))),
    );
  }

  /** Two workloads in a List that share something through an anchor. */
  sharing(): Extract<GNode, { t: 'map' }> {
    const r = this.rng;
    const which = r.pick(['containers', 'item', 'merge', 'lifecycle', 'grace', 'template', 'spec'] as const);
    this.features.add(`shared-${which}`);
    const kindA = r.pick(['Deployment', 'StatefulSet', 'DaemonSet'] as const);
    const kindB = r.pick(['Job', 'Deployment', 'CronJob', 'Pod'] as const);
    const graceA = r.pick([undefined, 10, 30]);
    const graceB = r.pick([0, 5, -1, undefined]);
    const appA = this.name('app');
    const appB = this.name('app');
    let specA: GNode;
    let specB: GNode;
    let templateA: string | undefined;
    let templateB: GNode | undefined;
    switch (which) {
      case 'containers': {
        const a = this.anchor('c');
        specA = this.podSpec(graceA, { ...seq(this.container(graceA, { serving: true })), anchor: a });
        specB = this.podSpec(graceB, { t: 'alias', name: a });
        break;
      }
      case 'item':
      case 'merge': {
        const a = this.anchor('k');
        specA = this.podSpec(graceA, seq(this.container(graceA, { anchor: a, serving: true })));
        specB = this.podSpec(graceB, seq(which === 'item' ? { t: 'alias', name: a } : m(kv('<<', { t: 'alias', name: a }), kv('name', s(this.name('copy'))))));
        break;
      }
      case 'lifecycle': {
        const a = this.anchor('l');
        const lc: GNode = { t: 'map', e: [kv('postStart', m(kv('exec', m(kv('command', strs('sh', '-c', 'echo up'))))))], anchor: a };
        const ca = this.container(graceA, { serving: true });
        specA = this.podSpec(graceA, seq(m(...ca.e.filter((e) => e.k !== 'lifecycle'), kv('lifecycle', lc))));
        const cb = this.container(graceB, { serving: true });
        specB = this.podSpec(graceB, seq(m(...cb.e.filter((e) => e.k !== 'lifecycle'), kv('lifecycle', { t: 'alias', name: a }))));
        break;
      }
      case 'grace': {
        const a = this.anchor('g');
        const ga = r.pick([0, 5, 10]);
        const withGrace = (spec: Extract<GNode, { t: 'map' }>, v: GNode): GNode => m(...spec.e.filter((e) => e.k !== 'terminationGracePeriodSeconds'), kv('terminationGracePeriodSeconds', v));
        specA = withGrace(this.podSpec(ga, seq(this.container(ga, { serving: true }))), { t: 's', v: ga, anchor: a });
        specB = withGrace(this.podSpec(ga, seq(this.container(ga, { serving: true }))), { t: 'alias', name: a });
        break;
      }
      case 'template': {
        templateA = this.anchor('tpl');
        specA = this.podSpec(graceA, seq(this.container(graceA, { serving: true })));
        specB = specA;
        templateB = { t: 'alias', name: templateA };
        break;
      }
      case 'spec': {
        const a = this.anchor('ps');
        const spec = this.podSpec(graceA, seq(this.container(graceA, { serving: true })));
        specA = { ...spec, anchor: a };
        specB = { t: 'alias', name: a };
        break;
      }
    }
    const kindB2 = which === 'template' ? r.pick(['Deployment', 'Job', 'StatefulSet'] as const) : kindB;
    const objA = this.workload(kindA, specA, appA, templateA ? { templateAnchor: templateA } : {});
    const objB = this.workload(kindB2, specB, appB, templateB ? { templateNode: templateB } : {});
    this.features.add('kind:List');
    return m(kv('apiVersion', s('v1')), kv('kind', s('List')), kv('items', seq(objA, objB)));
  }
}

/** Builds case `i` of the run seeded with `seed` (deterministic). */
export function generateCase(seed: number, i: number, settingsVariants: number, opts: GenOptions = {}): GenCase {
  const rng = new Rng(iterationSeed(seed ^ 0x5bd1e995, i));
  const features = new Set<string>();
  const docs: GDoc[] = [];
  const counters: Counters = { anchor: 0, name: 0, directive: 0 };
  const n = rng.int(1, 4);
  for (let d = 0; d < n; d++) {
    const json = rng.chance(0.15);
    const b = new Builder(rng, counters, json, opts);
    let node: GNode;
    const roll = rng.next();
    if (!json && opts.aliases !== false && roll < 0.3) node = b.sharing();
    else if (roll < 0.4) node = b.service(`app-${rng.int(1, 6)}`);
    else if (roll < 0.5) {
      node = m(kv('apiVersion', s('v1')), kv('kind', s('List')), kv('items', seq(b.simple(), b.simple())));
      b.features.add('kind:List');
    }
    else node = b.simple();
    for (const f of b.features) features.add(f);
    if (json) features.add('json');
    docs.push(json ? { node, json: rng.chance(0.7) ? 'pretty' : 'compact' } : { node });
  }
  const bom = rng.chance(0.1);
  const crlf = rng.chance(0.15);
  if (bom) features.add('bom');
  if (crlf) features.add('crlf');
  return {
    docs,
    bom,
    crlf,
    step: rng.chance(0.8) ? 2 : 4,
    seqIndented: rng.chance(0.5),
    leadingMarker: rng.chance(0.3),
    settingsVariant: rng.int(0, settingsVariants - 1),
    features: [...features].sort(),
  };
}
