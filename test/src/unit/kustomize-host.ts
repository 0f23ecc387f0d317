/** A KustomizeHost over the real file system, for tests that build the corpus layouts. */
import * as fs from 'node:fs';
import type { KustomizeHost } from '../../../server/out/core/kustomize';

export const diskHost: KustomizeHost = {
  readFile: (p) => {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  isDirectory: (p) => {
    try {
      return fs.statSync(p).isDirectory();
    } catch {
      return false;
    }
  },
};
