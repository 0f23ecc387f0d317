/**
 * The web worker server's host: a document's path is its URI's path (`./uris`), and, when the
 * client serves them (`initializationOptions.clientFiles`), the workspace's files are read
 * through the client's requests (`./protocol`) by the same file features as on a disk.
 */
import type { Connection } from 'vscode-languageserver';
import { fileFeatures } from '../disk';
import type { DiskHost, ServerHost } from '../host';
import { ClientFiles } from './clientFiles';
import { ClientWorkspaceFiles } from './files';
import { LIST_FILES, READ_FILE, STAT, type ClientRequests } from './protocol';
import { BrowserUris } from './uris';

export const WEB_WORKER_LOG = 'kube-graceful: running in a web worker';

export function browserHost(connection: Connection): ServerHost {
  const uris = new BrowserUris();
  let disk: DiskHost | undefined;
  return {
    uris,
    disk: ({ clientFiles }) => {
      if (!clientFiles) {
        connection.console.info(`${WEB_WORKER_LOG}; open documents only (the client serves no files)`);
        return undefined;
      }
      if (!disk) {
        const requests: ClientRequests = {
          listFiles: (params) => connection.sendRequest(LIST_FILES, params),
          readFile: (params) => connection.sendRequest(READ_FILE, params),
          stat: (params) => connection.sendRequest(STAT, params),
        };
        const files = new ClientWorkspaceFiles(requests, uris);
        const access = new ClientFiles(requests, uris, (m) => connection.console.warn(m), (p) => files.forget(p));
        disk = fileFeatures(access, uris.pathToUri, files);
      }
      connection.console.info(`${WEB_WORKER_LOG}; workspace files read through the editor`);
      return disk;
    },
    yieldTurn: () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
  };
}
