/**
 * The indexes of one CLI run: the Services, Ingresses and BackendConfigs, and ConfigMaps of
 * every input, each with the file it is written in, so that a file is analysed with what the
 * others define (its own are excluded by `excludeFile`: the analysis reads them from the file).
 * The main command and `explain` build them the same way.
 */
import { ConfigMapIndex, RouteIndex, ServiceIndex, type ConfigMapInfo, type RouteInfo, type ServiceInfo } from '../core';

/** What one input defines that other files need. */
export interface IndexedInput {
  readonly filePath: string;
  readonly services: readonly ServiceInfo[];
  readonly routes: readonly RouteInfo[];
  readonly configMaps: readonly ConfigMapInfo[];
}

export interface RunIndexes {
  readonly index: ServiceIndex;
  readonly routes: RouteIndex;
  readonly configMaps: ConfigMapIndex;
}

export function runIndexes(inputs: readonly IndexedInput[]): RunIndexes {
  const allServices: ServiceInfo[] = [];
  const allRoutes: RouteInfo[] = [];
  const allConfigMaps: ConfigMapInfo[] = [];
  for (const inp of inputs) {
    for (const s of inp.services) allServices.push({ ...s, filePath: inp.filePath });
    for (const r of inp.routes) allRoutes.push({ ...r, filePath: inp.filePath });
    for (const c of inp.configMaps) allConfigMaps.push({ ...c, filePath: inp.filePath });
  }
  return { index: new ServiceIndex(allServices), routes: new RouteIndex(allRoutes), configMaps: new ConfigMapIndex(allConfigMaps) };
}
