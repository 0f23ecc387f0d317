/** The state of one build: files read, notes (once each), kustomizations used and being built. */
import type { BuildNote, KustomizeHost, Src } from './index';

export interface State {
  readonly host: KustomizeHost;
  readonly files: Map<string, 'kustomization' | 'resource' | 'patch'>;
  readonly notes: BuildNote[];
  readonly noted: Set<string>;
  readonly uses: string[];
  /** Kustomization directories being built, outermost first. */
  readonly stack: string[];
  objects: number;
}

export function note(st: State, file: string, message: string, span?: Src['span']): void {
  const key = `${file}\u0000${span?.start ?? ''}\u0000${message}`;
  if (st.noted.has(key)) return;
  st.noted.add(key);
  st.notes.push(span ? { file, span, message } : { file, message });
}

export function readText(st: State, file: string, role: 'kustomization' | 'resource' | 'patch'): string | undefined {
  const text = st.host.readFile(file);
  if (text !== undefined && !st.files.has(file)) st.files.set(file, role);
  return text;
}

