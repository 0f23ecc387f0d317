/** The Node server's host: file URIs are paths on the disk, which the file features read. */
import { fileFeatures } from '../disk';
import type { ServerHost } from '../host';
import { DiskFiles } from './files';
import { diskAccess } from './fs';
import { normalizeUri, pathToUri, uriToPath } from './uri';

export function nodeHost(): ServerHost {
  const disk = fileFeatures(diskAccess, pathToUri, new DiskFiles());
  return {
    uris: { uriToPath, pathToUri, normalizeUri },
    disk: () => disk,
    yieldTurn: () => new Promise<void>((resolve) => setImmediate(resolve)),
  };
}
