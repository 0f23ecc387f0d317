/** The state of one build: files read, notes (once each), kustomizations used and being built. */
import type { BuildNote, KustomizeHost, Src } from './index';
import type { Obj } from './select';

export type Role = 'kustomization' | 'resource' | 'patch';

/** What building a kustomization did to the state besides its objects: a file read, a note, a kustomization used. */
export type Effect = { readonly file: string; readonly role: Role } | { readonly note: BuildNote } | { readonly use: string };

/** The effects of the kustomizations being built, recorded so that one built again can be taken as it was. */
export interface Recording {
  readonly effects: Effect[];
  /** False when the result depends on where it was built from (a cycle, a limit). */
  pure: boolean;
  /** The deepest nesting entered. */
  deepest: number;
}

/** A kustomization built once in a run (`buildKustomizations`), taken as it is wherever it is built again. */
export interface Memo {
  readonly kfile: string;
  readonly objs: readonly Obj[];
  readonly effects: readonly Effect[];
  /** How much deeper than itself its build went, and how many objects it read. */
  readonly reach: number;
  readonly objects: number;
}

export interface State {
  readonly host: KustomizeHost;
  readonly files: Map<string, Role>;
  readonly notes: BuildNote[];
  readonly noted: Set<string>;
  readonly uses: string[];
  /** Kustomization directories being built, outermost first. */
  readonly stack: string[];
  objects: number;
  /** Kustomizations built in this run, by directory; absent: each is built where it is used. */
  readonly memo?: Map<string, Memo>;
  /** Recordings of the kustomizations being built, outermost first. */
  readonly recordings: Recording[];
}

function record(st: State, e: Effect): void {
  for (const r of st.recordings) r.effects.push(e);
}

export function note(st: State, file: string, message: string, span?: Src['span']): void {
  record(st, { note: span ? { file, span, message } : { file, message } });
  const key = `${file}\u0000${span?.start ?? ''}\u0000${message}`;
  if (st.noted.has(key)) return;
  st.noted.add(key);
  st.notes.push(span ? { file, span, message } : { file, message });
}

function addFile(st: State, file: string, role: Role): void {
  record(st, { file, role });
  if (!st.files.has(file)) st.files.set(file, role);
}

export function readText(st: State, file: string, role: Role): string | undefined {
  const text = st.host.readFile(file);
  if (text !== undefined) addFile(st, file, role);
  return text;
}

/** A kustomization directory this build builds on. */
export function addUse(st: State, path: string): void {
  record(st, { use: path });
  if (!st.uses.includes(path)) st.uses.push(path);
}

/** What was built from here depends on where: not to be taken again elsewhere. */
export function impure(st: State): void {
  for (const r of st.recordings) r.pure = false;
}

/** Entering a kustomization at `depth`: the recordings learn how deep their builds went. */
export function entered(st: State, depth: number): void {
  for (const r of st.recordings) if (depth > r.deepest) r.deepest = depth;
}

/** The effects of a kustomization built before, done again on this build's state. */
export function replay(st: State, m: Memo, depth: number): void {
  for (const e of m.effects) {
    if ('note' in e) note(st, e.note.file, e.note.message, e.note.span);
    else if ('use' in e) addUse(st, e.use);
    else addFile(st, e.file, e.role);
  }
  st.objects += m.objects;
  entered(st, depth + m.reach);
}
