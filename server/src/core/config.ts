/**
 * The `.kube-graceful.yaml` configuration file: parsed from text (the front ends find and
 * read it), validated key by key with messages that name the file and the key.
 */
import { RULES_BY_ID } from './rules';
import { parseKubernetesVersion, type PartialSettings } from './settings';
import type { SeveritySetting, Span } from './types';
import { asMap, asSeq, DocContext, entries, scalarInt, scalarSource, scalarString } from './yaml/nodes';
import { parseChunk } from './yaml/parse';

export const CONFIG_FILE_NAME = '.kube-graceful.yaml';

export interface ConfigProblem {
  readonly message: string;
  readonly span: Span;
}

export interface ParsedConfig {
  readonly settings: PartialSettings;
  readonly problems: readonly ConfigProblem[];
}

const SEVERITIES: readonly SeveritySetting[] = ['off', 'info', 'warning', 'error'];
const NUMERIC_KEYS = ['preStopSleepSeconds', 'shutdownSeconds', 'minShutdownSeconds', 'minPropagationSeconds'] as const;

export function parseConfig(text: string, fileName: string = CONFIG_FILE_NAME): ParsedConfig {
  const settings: PartialSettings = {};
  const problems: ConfigProblem[] = [];
  const parsed = parseChunk(text);
  if (parsed.error) {
    return { settings, problems: [{ message: `${fileName}: YAML syntax error: ${parsed.error.message}`, span: parsed.error.span }] };
  }
  const doc = parsed.docs[0];
  if (!doc || doc.contents === null) return { settings, problems };
  const ctx = new DocContext(doc, 0);
  const root = asMap(ctx.deref(doc.contents).node);
  if (!root) return { settings, problems: [{ message: `${fileName}: expected a map of settings at the top level.`, span: ctx.span(doc.contents) ?? { start: 0, end: 0 } }] };
  for (const e of entries(ctx, root)) {
    const span = e.keySpan;
    const bad = (what: string): void => {
      problems.push({ message: `${fileName}: "${e.key}" ${what}`, span: ctx.span(e.value) ?? span });
    };
    switch (e.key) {
      case 'kubernetesVersion': {
        const v = scalarSource(e.value);
        if (v === undefined || !parseKubernetesVersion(v)) bad('must be a Kubernetes version such as "1.30".');
        else settings.kubernetesVersion = v.replace(/^v/, '');
        break;
      }
      case 'preStopSleepSeconds':
      case 'shutdownSeconds':
      case 'minShutdownSeconds':
      case 'minPropagationSeconds': {
        const v = scalarInt(e.value);
        if (v === undefined || v < 0 || v > 86400) bad('must be a whole number of seconds from 0 to 86400.');
        else settings[e.key] = v;
        break;
      }
      case 'minimalImages': {
        const seq = asSeq(e.value);
        const list = seq?.items.map((it) => scalarString(ctx.deref(it).node));
        if (!list || list.some((x) => x === undefined || x.length === 0)) bad('must be a list of image patterns such as "gcr.io/distroless/*".');
        else settings.minimalImages = list as string[];
        break;
      }
      case 'rules': {
        const m = asMap(e.value);
        if (!m) {
          bad('must be a map from rule id to off, info, warning or error.');
          break;
        }
        const rules: Record<string, SeveritySetting> = {};
        for (const r of entries(ctx, m)) {
          const sev = scalarString(r.value);
          if (!RULES_BY_ID.has(r.key)) {
            problems.push({ message: `${fileName}: unknown rule "${r.key}" under "rules".`, span: r.keySpan });
          } else if (sev === undefined || !(SEVERITIES as readonly string[]).includes(sev)) {
            problems.push({ message: `${fileName}: rule "${r.key}" must be one of off, info, warning, error.`, span: ctx.span(r.value) ?? r.keySpan });
          } else {
            rules[r.key] = sev as SeveritySetting;
          }
        }
        settings.rules = rules;
        break;
      }
      default:
        problems.push({
          message: `${fileName}: unknown key "${e.key}". Known keys: kubernetesVersion, ${NUMERIC_KEYS.join(', ')}, minimalImages, rules.`,
          span,
        });
    }
  }
  return { settings, problems };
}
