/**
 * Stage 6 of the pipeline, fixes: builds a finding's fix on demand on its document's own text,
 * checks it with the one check (verify.ts) and moves it to file offsets. Fix-all applies the
 * fixes that are safe together, document by document, dropping only a fix that conflicts with
 * those already taken, and says why each fix it could not apply was left.
 */
import { isNoFix, type BuiltFix, type FixBuilder, type FixEnv, type OtherDocument } from '../fixes/types';
import type { Settings } from '../settings';
import type { Fix, TextEdit } from '../types';
import type { Style } from '../yaml/edit';
import { EditableChunk } from '../yaml/targets';
import type { CachedFinding, ParseCache } from './cache';
import type { PreparedChunkImpl } from './prepare';
import { findingKey, type RuleStage } from './rules';
import { checkChunkEdits, checkFileFindings, type CheckResult, type FileJudge } from './verify';

/** A finding as the fix stage knows it: where its document is and how to build its fix. */
export interface FixSource {
  readonly chunk: PreparedChunkImpl;
  readonly cached: CachedFinding;
}

export type FixOutcome =
  | { readonly fix: Fix; readonly built: BuiltFix }
  /** `refused`: the edits the check turned down, relative to the chunk (a value values.yaml decides may be fixed there). */
  | { readonly fix: undefined; readonly reason: string; readonly refused?: BuiltFix };

/** The whole file, for fixes that edit another of its documents: its chunks, and the judge of its findings after an edit. */
export interface FixFile {
  readonly chunks: readonly PreparedChunkImpl[];
  readonly judge: FileJudge;
}

export class FixStage {
  private readonly envs = new Map<PreparedChunkImpl, FixEnv>();

  constructor(
    private readonly stage: RuleStage,
    private readonly cache: ParseCache,
    private readonly style: Style,
    private readonly settings: Settings,
    private readonly file?: FixFile,
  ) {}

  /** What a builder gets for a chunk: its text, parsed, for resolving edit targets. */
  envFor(pc: PreparedChunkImpl): FixEnv | undefined {
    let env = this.envs.get(pc);
    if (!env && pc.parsed) {
      const text = pc.chunk.text;
      const documentAt = (offset: number): OtherDocument | undefined => this.documentAt(offset);
      env = { text, style: this.style, settings: this.settings, chunk: new EditableChunk(pc.parsed.docs, text, this.style), configMaps: this.stage.configMaps, documentAt };
      this.envs.set(pc, env);
    }
    return env;
  }

  /** The analysed, non-template document of the file that holds the offset. */
  private documentAt(offset: number): OtherDocument | undefined {
    const pc = this.chunkAt(offset);
    if (!pc?.parsed || pc.parsed.template || !pc.model) return undefined;
    return { start: pc.chunk.start, chunk: new EditableChunk(pc.parsed.docs, pc.chunk.text, this.style) };
  }

  private chunkAt(offset: number): PreparedChunkImpl | undefined {
    return this.file?.chunks.find((c) => c.chunk.start <= offset && offset <= c.chunk.start + c.chunk.text.length);
  }

  /** The chunk a built fix's edits are relative to: its finding's own, or the other document it names. */
  editedChunk(own: PreparedChunkImpl, built: BuiltFix): PreparedChunkImpl | undefined {
    if (built.inDocument === undefined) return own;
    return this.file?.chunks.find((c) => c.chunk.start === built.inDocument);
  }

  /** Why edits of the file (file offsets) do not hold on the whole file: targeted findings left or new ones; undefined when they hold. */
  fileProblem(edits: readonly TextEdit[], gone: ReadonlySet<string>): string | undefined {
    if (!this.file) return 'the rest of the file is not in view';
    return checkFileFindings(this.file.judge, edits, gone)?.reason;
  }

  /**
   * The one check for edits of `chunk`. With `wholeFile` (a fix that edits what sits in front of
   * a pod), the chunk's values are checked as always, and the findings on the whole file again.
   */
  private check(chunk: PreparedChunkImpl, edits: readonly TextEdit[], touches: BuiltFix['touches'], gone: ReadonlySet<string>, wholeFile: boolean): CheckResult {
    if (!wholeFile) return checkChunkEdits(this.stage, this.cache, this.style, { chunk, edits, touches, gone });
    if (!this.file) return { ok: false, reason: 'the rest of the file is not in view' };
    const values = checkChunkEdits(this.stage, this.cache, this.style, { chunk, edits, touches, gone: new Set(), allowNew: true });
    if (!values.ok) return values;
    return checkFileFindings(this.file.judge, shift(edits, chunk.chunk.start), gone) ?? values;
  }

  /** Builds the fix, checks it, and shifts it into the file; a builder that throws is a reason, not an exception. */
  outcome(src: FixSource): FixOutcome {
    const build = src.cached.build;
    const env = this.envFor(src.chunk);
    if (!build || !env) return { fix: undefined, reason: 'the rule offers no fix here' };
    let result: ReturnType<FixBuilder>;
    try {
      result = build(env);
    } catch (e) {
      return { fix: undefined, reason: `internal error while building the fix: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (isNoFix(result)) return { fix: undefined, reason: result.reason };
    let built = result;
    if (!built || built.edits.length === 0) return { fix: undefined, reason: 'no safe place for the edit (an alias, a merge, or a form the edit layer declines)' };
    const chunk = this.editedChunk(src.chunk, built);
    if (!chunk) return { fix: undefined, reason: 'the document to edit was not analysed' };
    const check = this.check(chunk, built.edits, built.touches, new Set([findingKey(src.cached)]), built.inDocument !== undefined);
    if (!check.ok) {
      const placed = src.chunk.parsed?.template && built.inDocument === undefined ? this.inTemplate(src, build, env) : undefined;
      if (!placed) return { fix: undefined, reason: check.reason, refused: built };
      built = placed;
    }
    const base = (built.inDocument === undefined ? src.chunk : chunk).chunk.start;
    return { fix: { title: built.title, edits: shift(built.edits, base) }, built };
  }

  /**
   * A template's fix where the end of the map is not the author's place (inside a `with` block,
   * or between a key and the block spliced under it): inserted before one of the keys a chart
   * usually writes late in a container, the first place that passes the check.
   */
  private inTemplate(src: FixSource, build: FixBuilder, env: FixEnv): BuiltFix | undefined {
    const parsed = src.chunk.parsed;
    if (!parsed) return undefined;
    for (const key of TEMPLATE_PLACES) {
      const chunk = new EditableChunk(parsed.docs, env.text, env.style, key);
      let built: ReturnType<FixBuilder>;
      try {
        built = build({ ...env, chunk });
      } catch {
        return undefined;
      }
      if (!built || isNoFix(built) || built.edits.length === 0 || built.inDocument !== undefined) continue;
      const gone = new Set([findingKey(src.cached)]);
      if (checkChunkEdits(this.stage, this.cache, this.style, { chunk: src.chunk, edits: built.edits, touches: built.touches, gone }).ok) return built;
    }
    return undefined;
  }

  /**
   * The fixes of one chunk that are safe together: each one added only when the combined edits
   * still pass the check. Returns the combined edits (file offsets) and the fixes left out.
   */
  combine(chunk: PreparedChunkImpl, items: readonly { src: FixSource; built: BuiltFix }[]): { edits: TextEdit[]; taken: number; left: { src: FixSource; reason: string }[] } {
    const taken: { src: FixSource; built: BuiltFix }[] = [];
    const left: { src: FixSource; reason: string }[] = [];
    for (const item of items) {
      const trial = [...taken, item];
      const edits = trial.flatMap((t) => t.built.edits);
      const overlap = item.built.edits.some((e) => taken.some((t) => t.built.edits.some((o) => e.start <= o.end && o.start <= e.end)));
      if (overlap) {
        left.push({ src: item.src, reason: 'it edits the same place as another fix; run fix-all again' });
        continue;
      }
      const wholeFile = trial.some((t) => t.built.inDocument !== undefined);
      const check = this.check(chunk, edits, trial.flatMap((t) => t.built.touches), new Set(trial.map((t) => findingKey(t.src.cached))), wholeFile);
      if (check.ok) taken.push(item);
      else left.push({ src: item.src, reason: `together with the other fixes: ${check.reason}` });
    }
    return { edits: shift(taken.flatMap((t) => t.built.edits), chunk.chunk.start), taken: taken.length, left };
  }
}

/** Keys a chart usually writes late in a container, tried in turn as the place for a template's fix. */
const TEMPLATE_PLACES = ['resources', 'volumeMounts', 'startupProbe', 'livenessProbe', 'readinessProbe', 'securityContext', 'env', 'ports', 'imagePullPolicy'];

function shift(edits: readonly TextEdit[], base: number): TextEdit[] {
  return edits.map((e) => ({ start: e.start + base, end: e.end + base, newText: e.newText }));
}
