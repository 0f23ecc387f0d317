/**
 * The settings a document is analysed with. Precedence, lowest first:
 *
 *   1. the core's defaults (DEFAULT_SETTINGS);
 *   2. editor settings, section "kubeGraceful", per resource (workspace/configuration with the
 *      document's URI as scope; clients without that capability: initializationOptions.settings,
 *      replaced by the settings a didChangeConfiguration notification carries);
 *   3. the nearest `.kube-graceful.yaml` from the document's folder upward.
 *
 * The file is the project's shared truth (the CLI and CI read it too); editor settings are
 * personal defaults for what the file leaves open. `rules` merge per rule id, `minimalImages`
 * add up. `enable` exists only in the editor.
 */
import { DEFAULT_SETTINGS, mergeSettings, parseKubernetesVersion, RULES_BY_ID, type PartialSettings, type Settings, type SeveritySetting } from '../../core';
import type { Logger } from '../util/guard';
import { uriToPath } from '../util/uri';
import type { ConfigFile, ConfigFiles } from './configFiles';

export const SETTINGS_SECTION = 'kubeGraceful';

export interface EditorSettings {
  readonly enable: boolean;
  readonly layer: PartialSettings;
  /** Values that were ignored, in words. */
  readonly problems: readonly string[];
}

export interface EffectiveSettings {
  readonly enable: boolean;
  readonly settings: Settings;
  /** Equal keys mean equal settings. */
  readonly key: string;
  readonly configFile: ConfigFile | undefined;
}

const SEVERITIES: readonly string[] = ['off', 'info', 'warning', 'error'];
const NUMBER_KEYS = ['preStopSleepSeconds', 'shutdownSeconds', 'minShutdownSeconds', 'minPropagationSeconds'] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Reads the "kubeGraceful" section as a client sends it; wrong values are dropped and named. */
export function readEditorSettings(raw: unknown): EditorSettings {
  const layer: PartialSettings = {};
  const problems: string[] = [];
  if (!isRecord(raw)) return { enable: true, layer, problems };
  let enable = true;
  if (raw['enable'] !== undefined && raw['enable'] !== null) {
    if (typeof raw['enable'] === 'boolean') enable = raw['enable'];
    else problems.push('kubeGraceful.enable must be true or false');
  }
  const version = raw['kubernetesVersion'];
  if (version !== undefined && version !== null && version !== '') {
    if (typeof version === 'string' && parseKubernetesVersion(version)) layer.kubernetesVersion = version.trim().replace(/^v/, '');
    else problems.push(`kubeGraceful.kubernetesVersion ${JSON.stringify(version)} is not a version such as "1.34"`);
  }
  for (const key of NUMBER_KEYS) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 86400) layer[key] = v;
    else problems.push(`kubeGraceful.${key} must be a number of seconds from 0 to 86400`);
  }
  const images = raw['minimalImages'];
  if (images !== undefined && images !== null) {
    if (Array.isArray(images) && images.every((x): x is string => typeof x === 'string')) {
      layer.minimalImages = images.filter((x) => x.length > 0);
    } else {
      problems.push('kubeGraceful.minimalImages must be a list of image patterns');
    }
  }
  const rules = raw['rules'];
  if (rules !== undefined && rules !== null) {
    if (!isRecord(rules)) {
      problems.push('kubeGraceful.rules must map rule ids to off, info, warning or error');
    } else {
      const out: Record<string, SeveritySetting> = {};
      for (const [id, sev] of Object.entries(rules)) {
        if (!RULES_BY_ID.has(id)) problems.push(`kubeGraceful.rules: unknown rule "${id}"`);
        else if (typeof sev !== 'string' || !SEVERITIES.includes(sev)) problems.push(`kubeGraceful.rules: "${id}" must be off, info, warning or error`);
        else out[id] = sev as SeveritySetting;
      }
      layer.rules = out;
    }
  }
  return { enable, layer, problems };
}

export class SettingsService {
  private readonly editor = new Map<string, Promise<EditorSettings>>();
  /** Settings pushed by the client (initializationOptions, didChangeConfiguration) when it cannot be asked. */
  private pushed: unknown;
  private readonly reported = new Set<string>();

  constructor(
    /** Asks the client for the section at a scope; undefined when the client cannot be asked. */
    private readonly fetch: ((scopeUri: string) => Promise<unknown>) | undefined,
    private readonly configFiles: ConfigFiles,
    private readonly log: Logger,
    initial: unknown,
  ) {
    this.pushed = initial;
  }

  /** Editor settings changed (didChangeConfiguration); `pushed` is the new section when the notification carried it. */
  editorSettingsChanged(pushed?: unknown): void {
    if (pushed !== undefined) this.pushed = pushed;
    this.editor.clear();
  }

  configFilesChanged(): void {
    this.configFiles.clear();
  }

  async forDocument(uri: string): Promise<EffectiveSettings> {
    const editor = await this.editorSettings(uri);
    const filePath = uriToPath(uri);
    const configFile = filePath !== undefined && editor.enable ? await this.configFiles.forDocument(filePath) : undefined;
    const layers: PartialSettings[] = [editor.layer];
    if (configFile) layers.push(configFile.parsed.settings);
    const settings = mergeSettings(DEFAULT_SETTINGS, ...layers);
    return { enable: editor.enable, settings, key: JSON.stringify(settings), configFile };
  }

  private editorSettings(uri: string): Promise<EditorSettings> {
    let p = this.editor.get(uri);
    if (!p) {
      p = this.load(uri);
      this.editor.set(uri, p);
    }
    return p;
  }

  private async load(uri: string): Promise<EditorSettings> {
    let raw: unknown = this.pushed;
    if (this.fetch) {
      try {
        raw = await this.fetch(uri);
      } catch (e) {
        this.log.warn(`kube-graceful: could not read the settings for ${uri}: ${e instanceof Error ? e.message : String(e)}`);
        raw = undefined;
      }
    }
    const read = readEditorSettings(raw);
    for (const p of read.problems) {
      if (this.reported.has(p)) continue;
      this.reported.add(p);
      this.log.warn(`kube-graceful: ignoring a setting: ${p}.`);
    }
    return read;
  }
}
