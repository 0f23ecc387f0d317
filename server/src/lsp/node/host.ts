/** The Node server's host: file URIs are paths on the disk, which the disk-reading features read. */
import type { ServerHost } from '../host';
import { DiskCharts } from './charts';
import { ConfigFiles } from './configFiles';
import { DiskFiles } from './files';
import { OverlayService } from './overlays';
import { normalizeUri, pathToUri, uriToPath } from './uri';

export function nodeHost(): ServerHost {
  return {
    uris: { uriToPath, pathToUri, normalizeUri },
    disk: {
      configFiles: (openText) => new ConfigFiles(openText),
      charts: new DiskCharts(),
      overlays: (openText, root) => new OverlayService(openText, root),
      files: new DiskFiles(),
    },
    yieldTurn: () => new Promise<void>((resolve) => setImmediate(resolve)),
  };
}
