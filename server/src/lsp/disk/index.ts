/**
 * The features that read the workspace's files, the same on every host: the nearest
 * `.kube-graceful.yaml`, Helm charts' helpers and values, kustomize overlays. The host gives the
 * file access (the disk, or the client's files in the browser), the URIs of paths and the
 * listing of the workspace folders.
 */
import type { DiskHost, FileAccess, WorkspaceFiles } from '../host';
import { FileCharts } from './charts';
import { ConfigFiles } from './configFiles';
import { OverlayService } from './overlays';

export function fileFeatures(access: FileAccess, pathToUri: (p: string) => string, files: WorkspaceFiles): DiskHost {
  return {
    configFiles: (openText) => new ConfigFiles(access, openText),
    charts: new FileCharts(access, pathToUri),
    overlays: (openText, root) => new OverlayService(access, openText, root),
    files,
    access,
  };
}
