/**
 * One validator for settings, from the schema: editor settings (JSON, turned into `Plain`
 * values) and `.kube-graceful.yaml` (YAML, read into `Plain` values with spans) go through the
 * same code, so a value is accepted or rejected the same way wherever it is written. A bad
 * value is named and left out; the rest still applies.
 */
import { RULES_BY_ID } from '../rules';
import type { SeveritySetting, Span } from '../types';
import type { Plain, PlainEntry } from '../yaml/plain';
import { EDITOR_SECTION, fileSettings, RULE_SEVERITY_KEY, ruleOptions, SETTINGS_SCHEMA, SEVERITY_VALUES, type SettingSpec, type SettingType } from '../settings/schema';
import type { PartialSettings } from '../settings/settings';

export type SettingsOrigin =
  /** `.kube-graceful.yaml`: unknown keys are problems; messages start with the file name. */
  | { readonly kind: 'file'; readonly fileName: string }
  /** Editor settings: keys of other tools' and the extension's own are ignored. */
  | { readonly kind: 'editor' };

export interface SettingsProblem {
  /** A sentence naming the file (or `kubeGraceful.`) and the key. */
  readonly message: string;
  readonly span: Span | undefined;
}

export interface ValidatedSettings {
  readonly layer: PartialSettings;
  /** `enable`, from editor settings only. */
  readonly enable: boolean | undefined;
  readonly problems: readonly SettingsProblem[];
}

type Value = boolean | number | string | readonly string[];

/** JSON-like data (editor settings) as `Plain` values. */
export function plainFromJson(v: unknown, depth = 0): Plain {
  if (depth > 64) return { kind: 'other' };
  if (v === null || v === undefined) return { kind: 'null' };
  if (typeof v === 'boolean') return { kind: 'boolean', value: v };
  if (typeof v === 'number') return { kind: 'number', value: v };
  if (typeof v === 'string') return { kind: 'string', value: v };
  if (Array.isArray(v)) return { kind: 'list', items: v.map((x) => plainFromJson(x, depth + 1)) };
  if (typeof v === 'object') {
    return { kind: 'map', entries: Object.entries(v as Record<string, unknown>).map(([key, x]) => ({ key, value: plainFromJson(x, depth + 1) })) };
  }
  return { kind: 'other' };
}

/** A short rendering of a value for messages. */
function shown(p: Plain): string {
  switch (p.kind) {
    case 'null':
      return 'null';
    case 'boolean':
      return String(p.value);
    case 'number':
      return p.source ?? String(p.value);
    case 'string':
      return JSON.stringify(p.value.length > 40 ? `${p.value.slice(0, 40)}…` : p.value);
    case 'list':
      return 'a list';
    case 'map':
      return 'a map';
    case 'other':
      return 'an unsupported value';
  }
}

/** What a valid value of a type looks like, in words. */
export function expectedText(t: SettingType): string {
  switch (t.kind) {
    case 'boolean':
      return 'true or false';
    case 'integer':
      return `a whole number from ${t.minimum} to ${t.maximum}`;
    case 'string':
    case 'stringList':
      return t.expected;
    case 'enum':
      return `one of ${t.values.join(', ')}`;
    case 'rules':
      return `a map from rule id to ${SEVERITY_VALUES.join(', ')}`;
  }
}

/** The value of `p` when it is valid for `t` (rules aside); undefined when it is not. */
function readValue(t: SettingType, p: Plain): Value | undefined {
  switch (t.kind) {
    case 'boolean':
      return p.kind === 'boolean' ? p.value : undefined;
    case 'integer':
      return p.kind === 'number' && Number.isInteger(p.value) && p.value >= t.minimum && p.value <= t.maximum ? p.value : undefined;
    case 'string': {
      // An unquoted YAML scalar is read by its text: `kubernetesVersion: 1.30` means "1.30".
      const s = p.kind === 'string' ? p.value : p.kind === 'number' ? p.source : undefined;
      return s !== undefined && new RegExp(t.pattern).test(s) ? s : undefined;
    }
    case 'stringList': {
      if (p.kind !== 'list') return undefined;
      const out: string[] = [];
      for (const it of p.items) {
        if (it.kind !== 'string' || it.value.length === 0) return undefined;
        out.push(it.value);
      }
      return out;
    }
    case 'enum':
      return p.kind === 'string' && t.values.includes(p.value) ? p.value : undefined;
    case 'rules':
      return undefined;
  }
}

/** Brings a valid value to the form the analysis uses ("v1.30.2" → "1.30"). */
function normalized(spec: SettingSpec, v: Value): Value {
  if (spec.key === 'kubernetesVersion' && typeof v === 'string') {
    const m = /^v?([0-9]+)\.([0-9]+)/.exec(v);
    if (m) return `${Number(m[1])}.${Number(m[2])}`;
  }
  return v;
}

class Reader {
  readonly problems: SettingsProblem[] = [];
  readonly values = new Map<string, Value>();
  /** Values from the per-rule form; they win over the top-level keys. */
  readonly ruleValues = new Map<string, Value>();
  readonly severities: Record<string, SeveritySetting> = {};
  sawRules = false;

  constructor(private readonly origin: SettingsOrigin) {}

  private name(path: string): string {
    return this.origin.kind === 'file' ? `"${path}"` : `${EDITOR_SECTION}.${path}`;
  }

  problem(text: string, span: Span | undefined): void {
    const message = this.origin.kind === 'file' ? `${this.origin.fileName}: ${text}` : text;
    this.problems.push({ message, span });
  }

  bad(path: string, p: Plain, expected: string): void {
    this.problem(`${this.name(path)} must be ${expected} (not ${shown(p)}).`, p.span);
  }

  /** Reads one setting; returns the normalised value, or undefined after naming the problem. */
  setting(spec: SettingSpec, path: string, p: Plain): Value | undefined {
    const v = readValue(spec.type, p);
    if (v === undefined) {
      this.bad(path, p, expectedText(spec.type));
      return undefined;
    }
    return normalized(spec, v);
  }

  rules(p: Plain): void {
    if (p.kind !== 'map') {
      this.bad('rules', p, expectedText({ kind: 'rules' }));
      return;
    }
    this.sawRules = true;
    for (const e of p.entries) this.rule(e);
  }

  private rule(e: PlainEntry): void {
    const at = this.origin.kind === 'file' ? `unknown rule "${e.key}" under "rules".` : `${EDITOR_SECTION}.rules: unknown rule "${e.key}".`;
    if (!RULES_BY_ID.has(e.key)) {
      this.problem(at, e.keySpan);
      return;
    }
    const options = ruleOptions(e.key);
    const v = e.value;
    const severityWords = SEVERITY_VALUES.join(', ');
    const keys = [RULE_SEVERITY_KEY, ...options.map((o) => o.key)].map((k) => `"${k}"`).join(', ');
    const expected = `one of ${severityWords}, or a map of ${keys}`;
    const ruleName = this.origin.kind === 'file' ? `rule "${e.key}"` : `${EDITOR_SECTION}.rules.${e.key}`;
    if (v.kind === 'string' && (SEVERITY_VALUES as readonly string[]).includes(v.value)) {
      this.severities[e.key] = v.value as SeveritySetting;
      return;
    }
    if (v.kind !== 'map') {
      this.problem(`${ruleName} must be ${expected} (not ${shown(v)}).`, v.span ?? e.keySpan);
      return;
    }
    for (const o of v.entries) {
      const path = `rules.${e.key}.${o.key}`;
      if (o.key === RULE_SEVERITY_KEY) {
        const sev = o.value;
        if (sev.kind === 'string' && (SEVERITY_VALUES as readonly string[]).includes(sev.value)) this.severities[e.key] = sev.value as SeveritySetting;
        else this.bad(path, sev, `one of ${severityWords}`);
        continue;
      }
      const spec = options.find((s) => s.key === o.key);
      if (!spec) {
        this.problem(`unknown option "${o.key}" for ${ruleName}. Known: ${keys}.`, o.keySpan);
        continue;
      }
      const value = this.setting(spec, path, o.value);
      if (value !== undefined) this.ruleValues.set(spec.key, value);
    }
  }
}

/** The entry at a dotted key (`trace.server`) of a map, when there is one. */
function lookup(root: Plain, key: string): Plain | undefined {
  let cur: Plain | undefined = root;
  for (const part of key.split('.')) {
    if (cur?.kind !== 'map') return undefined;
    cur = cur.entries.find((e) => e.key === part)?.value;
  }
  return cur;
}

/**
 * Validates settings against the schema. `input` is the whole `kubeGraceful` section (editor)
 * or the file's top-level map; undefined (an empty file, no section) is valid and sets nothing.
 */
export function validateSettings(input: Plain | undefined, origin: SettingsOrigin): ValidatedSettings {
  const r = new Reader(origin);
  let enable: boolean | undefined;
  if (input === undefined || (origin.kind === 'editor' && input.kind === 'null')) return { layer: {}, enable, problems: [] };
  if (input.kind !== 'map') {
    r.problem(origin.kind === 'file' ? 'expected a map of settings at the top level.' : `${EDITOR_SECTION} must be a map of settings.`, input.span);
    return { layer: {}, enable, problems: r.problems };
  }
  if (origin.kind === 'file') {
    const known = fileSettings();
    for (const e of input.entries) {
      const spec = known.find((s) => s.key === e.key);
      if (!spec) {
        r.problem(`unknown key "${e.key}". Known keys: ${known.map((s) => s.key).join(', ')}.`, e.keySpan);
        continue;
      }
      if (spec.type.kind === 'rules') r.rules(e.value);
      else {
        const v = r.setting(spec, spec.key, e.value);
        if (v !== undefined) r.values.set(spec.key, v);
      }
    }
  } else {
    for (const spec of SETTINGS_SCHEMA) {
      // The extension reads its own keys; others' keys in the section are not ours to judge.
      if (spec.place === 'client') continue;
      const p = lookup(input, spec.key);
      if (p === undefined) continue;
      if (spec.type.kind === 'rules') {
        r.rules(p);
        continue;
      }
      const v = r.setting(spec, spec.key, p);
      if (v === undefined) continue;
      if (spec.key === 'enable' && typeof v === 'boolean') enable = v;
      else r.values.set(spec.key, v);
    }
  }
  return { layer: toLayer(r), enable, problems: r.problems };
}

function toLayer(r: Reader): PartialSettings {
  const layer: PartialSettings = {};
  const value = (key: string): Value | undefined => r.ruleValues.get(key) ?? r.values.get(key);
  const num = (key: string): number | undefined => {
    const v = value(key);
    return typeof v === 'number' ? v : undefined;
  };
  const kubernetesVersion = value('kubernetesVersion');
  if (typeof kubernetesVersion === 'string') layer.kubernetesVersion = kubernetesVersion;
  const keys = [
    'preStopSleepSeconds',
    'shutdownSeconds',
    'minShutdownSeconds',
    'minPropagationSeconds',
    'minSleepAwsNlbIpSeconds',
    'minSleepAwsAlbIpSeconds',
    'minSleepGkeNegSeconds',
    'minSleepAzureAppGatewaySeconds',
  ] as const;
  for (const key of keys) {
    const v = num(key);
    if (v !== undefined) layer[key] = v;
  }
  const images = value('minimalImages');
  if (Array.isArray(images)) layer.minimalImages = images.filter((x): x is string => typeof x === 'string');
  if (r.sawRules) layer.rules = { ...r.severities };
  return layer;
}
