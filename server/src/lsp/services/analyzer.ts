/**
 * Analyses of open documents: one ParseCache per document (pruned after every analysis, so an
 * edit re-parses only the YAML documents it touched) and the latest result, reused while the
 * text, the settings and the known Services stay the same.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeText, documentTexts, LineIndex, ParseCache, type Analysis, type Finding, type ServiceIndex } from '../../core';
import { overlayView } from '../../core/overlays';
import { isConfigFile, type ChartSource, type DiskHost, type OverlaySource, type ServerHost } from '../host';
import type { EffectiveSettings, SettingsService } from './settings';
import type { WorkspaceIndex } from './workspaceIndex';

/** Offset ↔ position conversion for one version of a text (UTF-16, as LSP counts). */
export interface PositionMap {
  positionAt(offset: number): { line: number; character: number };
  offsetAt(position: { line: number; character: number }): number;
}

/**
 * The core's line index when the text has no lone carriage return (then it breaks lines as
 * editors do); otherwise the text-document library's, which also counts a lone "\r".
 */
function positionMap(uri: string, languageId: string, version: number, text: string, lines: LineIndex): PositionMap {
  if (!/\r(?!\n)/.test(text)) {
    return {
      positionAt: (offset) => lines.position(offset),
      offsetAt: (p) => lines.offset(p.line, p.character),
    };
  }
  return TextDocument.create(uri, languageId, version, text);
}

/** One analysed version of a document. */
export interface DocumentAnalysis {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  /** Offset ↔ position for the analysed version. */
  readonly doc: PositionMap;
  readonly effective: EffectiveSettings;
  /** Services from the workspace the analysis knew of (the index of every file's; the file's own left out by `excludeFile`). */
  readonly services: ServiceIndex;
  readonly excludeFile: string;
  /** The file's analysis; for a file a kustomize build reads, as the overlays in the workspace build it. */
  readonly analysis: Analysis;
  readonly cache: ParseCache;
  /** With overlays: which findings of the file read alone fix-all may fix (those its builds still report). */
  readonly keeps?: (f: Finding) => boolean;
  /** The chart's values.yaml the template was read with: its URI and line index, for related locations there. */
  readonly chartValues?: { readonly uri: string; readonly lines: LineIndex };
}

/** Longest stretch of parsing between two turns of the event loop. */
const SLICE_MS = 30;

interface DocState {
  readonly cache: ParseCache;
  last: { key: string; result: DocumentAnalysis } | undefined;
}

export class DocumentAnalyzer {
  private readonly states = new Map<string, DocState>();
  /** Helm charts among the files (none without files). */
  private readonly charts: ChartSource | undefined;

  constructor(
    private readonly host: ServerHost,
    private readonly disk: DiskHost | undefined,
    private readonly settings: SettingsService,
    private readonly index: WorkspaceIndex,
    private readonly overlays?: OverlaySource,
    /** The builds changed with this document's text: the other open documents are judged anew. */
    private readonly overlaysChanged?: (uri: string) => void,
  ) {
    this.charts = disk?.charts;
  }

  /**
   * The analysis of the document's text as it is when the settings are known; undefined for
   * the configuration file and for folders where kube-graceful is disabled.
   */
  async analyze(doc: TextDocument): Promise<DocumentAnalysis | undefined> {
    const file = this.host.uris.uriToPath(doc.uri);
    if (isConfigFile(file)) return undefined;
    if (file !== undefined && this.charts?.placeOf(file)?.template === false) return undefined;
    const effective = await this.settings.forDocument(doc.uri);
    if (!effective.enable) return undefined;
    // Parse ahead until a pass completes on an unchanged version (each pass reuses what the last one parsed).
    while (!(await this.parseAhead(doc)));
    return this.analyzeWith(doc, effective);
  }

  /**
   * Parses the document's YAML documents into its cache a slice at a time, yielding to the
   * event loop between slices, so that a huge file never keeps the server from answering.
   * The analysis that follows then finds every document parsed. Returns false when the
   * document changed meanwhile, so that the caller parses the new text.
   */
  private async parseAhead(doc: TextDocument): Promise<boolean> {
    const version = doc.version;
    const cache = this.stateOf(doc.uri).cache;
    let sliceStart = Date.now();
    for (const text of documentTexts(doc.getText())) {
      cache.parse(text);
      if (Date.now() - sliceStart > SLICE_MS) {
        await this.host.yieldTurn();
        if (doc.version !== version) return false;
        sliceStart = Date.now();
      }
    }
    return true;
  }

  private readonly valuesIds = new WeakMap<object, number>();
  private nextValuesId = 1;

  /** A small number per values text read (a new one whenever it is read again). */
  private valuesId(v: object | undefined): number {
    if (!v) return 0;
    let id = this.valuesIds.get(v);
    if (id === undefined) {
      id = this.nextValuesId++;
      this.valuesIds.set(v, id);
    }
    return id;
  }

  private stateOf(uri: string): DocState {
    let state = this.states.get(uri);
    if (!state) {
      state = { cache: new ParseCache(), last: undefined };
      this.states.set(uri, state);
    }
    return state;
  }

  /** Synchronous: text and version are read together, so the result matches `version`. */
  analyzeWith(doc: TextDocument, effective: EffectiveSettings): DocumentAnalysis {
    const uri = doc.uri;
    const state = this.stateOf(uri);
    const version = doc.version;
    const text = doc.getText();
    const file = this.host.uris.uriToPath(uri);
    if (this.overlays) {
      this.overlays.setKustomizations(this.index.kustomizationFiles);
      if (file !== undefined && this.overlays.touched(file, text)) this.overlaysChanged?.(uri);
    }
    const chart = file !== undefined ? this.charts?.placeOf(file) : undefined;
    const chartValues = chart ? this.charts?.valuesOf(chart.root) : undefined;
    const key = this.keyOf(version, effective, chartValues);
    if (state.last?.key === key) return state.last.result;
    const services = this.index.serviceIndex();
    const excludeFile = this.index.keyOf(uri);
    const routes = this.index.routesExcept(uri);
    const configMaps = this.index.configMapsExcept(uri);
    const helpers = chart ? this.charts?.includesOf(chart.root) : undefined;
    const own = analyzeText(text, { settings: effective.settings, services, excludeFile, routes, configMaps, cache: state.cache, ...(helpers ? { helpers } : {}), ...(chartValues ? { chartValues } : {}) });
    const overlay = file !== undefined ? this.overlays?.resultFor(effective.settings, effective.key) : undefined;
    const view = overlay && file !== undefined ? overlayView(own, file, overlay) : undefined;
    const analysis = view?.analysis ?? own;
    state.cache.prune();
    this.index.setOpen(uri, analysis.prepared.services, analysis.prepared.lines, analysis.prepared.routes, analysis.prepared.configMaps);
    const result: DocumentAnalysis = {
      uri,
      version,
      text,
      doc: positionMap(uri, doc.languageId, version, text, analysis.prepared.lines),
      effective,
      services,
      excludeFile,
      analysis,
      cache: state.cache,
      ...(view ? { keeps: (f: Finding) => view.keeps(f) } : {}),
      ...(chartValues ? { chartValues: { uri: chartValues.filePath, lines: new LineIndex(chartValues.text) } } : {}),
    };
    // After setOpen: the document's own Services do not change its own analysis.
    state.last = { key: this.keyOf(version, effective, chartValues), result };
    return result;
  }

  private keyOf(version: number, effective: EffectiveSettings, chartValues: object | undefined): string {
    return `${version}\u0000${effective.key}\u0000${this.index.generation}\u0000${this.overlays?.version ?? 0}\u0000${this.valuesId(chartValues)}\u0000${this.disk?.access.generation ?? 0}`;
  }

  /** A file changed on disk: true when a kustomize build read it (the open documents are then judged anew). */
  fileChanged(file: string): boolean {
    return this.overlays?.touched(file, undefined) ?? false;
  }

  forget(uri: string): void {
    this.states.delete(uri);
  }
}
