/**
 * The suppression annotation `ignore-check.kube-graceful.io/<rule-id>: "<reason>"` added to an
 * object's metadata.annotations through the YAML edit layer. Returns undefined whenever the
 * edit cannot be shown to be safe: objects, metadata or annotations reached through an alias
 * or a merge, values that are neither a map nor empty, maps the edit layer declines.
 */
import { IGNORE_ANNOTATION_PREFIX } from '../directives';
import type { ObjectInfo } from '../model/workloads';
import type { TextEdit } from '../types';
import { fillEmptyValue, insertEntry, type Style } from '../yaml/edit';
import { asMap, get, isNullNode } from '../yaml/nodes';

export function ignoreAnnotationEdit(object: ObjectInfo, text: string, style: Style, ruleId: string, reason: string): TextEdit | undefined {
  if (object.viaAlias) return undefined;
  const { ctx, map } = object;
  const key = IGNORE_ANNOTATION_PREFIX + ruleId;
  if (object.annotations.has(key)) return undefined;
  const metadata = get(ctx, map, 'metadata');
  if (!metadata) return insertEntry(ctx, text, map, 'metadata', { annotations: { [key]: reason } }, style, { before: ['spec'] });
  if (metadata.viaAlias) return undefined;
  if (isNullNode(metadata.value)) return fillEmptyValue(ctx, text, metadata.pair, { annotations: { [key]: reason } }, style);
  const metaMap = asMap(metadata.value);
  if (!metaMap) return undefined;
  if (metaMap.items.length === 0) return fillEmptyValue(ctx, text, metadata.pair, { annotations: { [key]: reason } }, style);
  const annotations = get(ctx, metaMap, 'annotations');
  if (!annotations) return insertEntry(ctx, text, metaMap, 'annotations', { [key]: reason }, style);
  if (annotations.viaAlias) return undefined;
  if (isNullNode(annotations.value)) return fillEmptyValue(ctx, text, annotations.pair, { [key]: reason }, style);
  const annMap = asMap(annotations.value);
  if (!annMap) return undefined;
  if (annMap.items.length === 0) return fillEmptyValue(ctx, text, annotations.pair, { [key]: reason }, style);
  return insertEntry(ctx, text, annMap, key, reason, style);
}
