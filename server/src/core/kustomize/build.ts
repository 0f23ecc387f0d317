import type { KustomizeBuild, KustomizeHost } from './index';
import { join } from './path';

export const KUSTOMIZATION_FILE_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function findKustomizationFile(dir: string, host: KustomizeHost): string | undefined {
  for (const n of KUSTOMIZATION_FILE_NAMES) {
    const p = join(dir, n);
    if (host.readFile(p) !== undefined) return p;
  }
  return undefined;
}

export function buildKustomization(dir: string, host: KustomizeHost): KustomizeBuild {
  const file = findKustomizationFile(dir, host) ?? join(dir, 'kustomization.yaml');
  return { root: dir, kustomizationFile: file, objects: [], files: new Map(), uses: [], notes: [] };
}
