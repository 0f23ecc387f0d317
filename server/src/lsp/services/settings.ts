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
 * add up; a rule's option given with the rule wins over the top-level key of the same layer.
 * `enable` exists only in the editor. Both layers are checked by the core's one settings
 * validator; a bad value is logged (once until the settings change) and left out.
 */
import { DEFAULT_SETTINGS, EDITOR_SECTION, mergeSettings, plainFromJson, validateSettings, type PartialSettings, type Settings } from '../../core';
import type { Logger } from '../util/guard';
import type { ConfigFile, ConfigSource, UriPaths } from '../host';

export const SETTINGS_SECTION = EDITOR_SECTION;

export interface EditorSettings {
  readonly enable: boolean;
  readonly layer: PartialSettings;
  /** Values that were ignored, each a sentence naming the setting. */
  readonly problems: readonly string[];
}

export interface EffectiveSettings {
  readonly enable: boolean;
  readonly settings: Settings;
  /** Equal keys mean equal settings. */
  readonly key: string;
  readonly configFile: ConfigFile | undefined;
}

/** Reads the "kubeGraceful" section as a client sends it, with the schema's validator; wrong values are dropped and named. */
export function readEditorSettings(raw: unknown): EditorSettings {
  const v = validateSettings(plainFromJson(raw), { kind: 'editor' });
  return { enable: v.enable ?? true, layer: v.layer, problems: v.problems.map((p) => p.message) };
}

export class SettingsService {
  private readonly editor = new Map<string, Promise<EditorSettings>>();
  /** Settings pushed by the client (initializationOptions, didChangeConfiguration) when it cannot be asked. */
  private pushed: unknown;
  /**
   * Problems already written to the log since the settings last changed: settings are read per
   * document, and one bad value would otherwise be reported for every file.
   */
  private readonly reported = new Set<string>();

  constructor(
    /** Asks the client for the section at a scope; undefined when the client cannot be asked. */
    private readonly fetch: ((scopeUri: string) => Promise<unknown>) | undefined,
    private readonly uris: UriPaths,
    /** The `.kube-graceful.yaml` files; undefined where the server reads no files. */
    private readonly configFiles: ConfigSource | undefined,
    private readonly log: Logger,
    initial: unknown,
  ) {
    this.pushed = initial;
  }

  /** Editor settings changed (didChangeConfiguration); `pushed` is the new section when the notification carried it. */
  editorSettingsChanged(pushed?: unknown): void {
    if (pushed !== undefined) this.pushed = pushed;
    this.editor.clear();
    this.reported.clear();
  }

  configFilesChanged(): void {
    this.configFiles?.clear();
  }

  async forDocument(uri: string): Promise<EffectiveSettings> {
    const editor = await this.editorSettings(uri);
    const filePath = this.uris.uriToPath(uri);
    const configFile = filePath !== undefined && editor.enable ? await this.configFiles?.forDocument(filePath) : undefined;
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
      this.log.warn(`kube-graceful: ignoring a setting: ${p}`);
    }
    return read;
  }
}
