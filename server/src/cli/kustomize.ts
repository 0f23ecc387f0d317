/**
 * Kustomize layouts in a CLI run: which directories among the inputs hold a kustomization, which
 * of them are overlays (built by no other kustomization in view), and a host that reads the
 * files of a build from the run's inputs (their text after --fix) or from disk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildKustomizations, findKustomizationFile, type KustomizeBuild, type KustomizeHost } from '../core/kustomize';
import type { Folders } from './files';

/** Reads through `texts` (absolute path → text) first, then the disk; `parsed` and `parses` are kept across the builds of a run. */
export function fileHost(texts: ReadonlyMap<string, string>, parsed?: KustomizeHost['parsed'], parses?: KustomizeHost['parses']): KustomizeHost {
  return {
    ...(parsed ? { parsed } : {}),
    ...(parses ? { parses } : {}),
    readFile(p: string): string | undefined {
      const known = texts.get(p);
      if (known !== undefined) return known;
      try {
        return fs.readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
    isDirectory(p: string): boolean {
      try {
        return fs.statSync(p).isDirectory();
      } catch {
        return false;
      }
    },
  };
}

export interface Overlay {
  readonly build: KustomizeBuild;
  /** The directory as the user would name it: relative to the working directory. */
  readonly label: string;
}

/**
 * The folders of `files` (and the folders given) that hold a kustomization, sorted. A folder the
 * file walk listed is looked at on disk only when it saw a kustomization file's name in it.
 */
export function kustomizationRoots(files: readonly string[], dirs: readonly string[], host: KustomizeHost, folders?: Folders): string[] {
  const candidates = new Set<string>();
  for (const d of dirs) candidates.add(path.resolve(d));
  for (const f of files) candidates.add(path.dirname(path.resolve(f)));
  return [...candidates].filter((d) => (folders?.mayHoldKustomization(d) ?? true) && findKustomizationFile(d, host) !== undefined).sort();
}

/**
 * Builds every kustomization among `roots` that no other of them builds on: each overlay once,
 * its bases through it. A base with no overlay in view is built on its own.
 */
export function overlaysOf(roots: readonly string[], host: KustomizeHost, cwd: string): Overlay[] {
  if (roots.length === 0) return [];
  // A base several of them build on is built once.
  const built = buildKustomizations(roots, host);
  const builds = new Map<string, KustomizeBuild>(roots.map((r, i) => [r, built[i] as KustomizeBuild]));
  const used = new Set<string>();
  for (const b of builds.values()) for (const u of b.uses) used.add(path.resolve(u));
  const out: Overlay[] = [];
  for (const [root, build] of builds) {
    if (used.has(root)) continue;
    out.push({ build, label: path.relative(cwd, root) || '.' });
  }
  return out;
}
