/**
 * The suppression annotation `ignore-check.kube-graceful.io/<rule-id>: "<reason>"` added to an
 * object's metadata.annotations. Returns undefined whenever the edit cannot be shown to be
 * safe: objects, metadata or annotations reached through an alias or a merge, values that are
 * neither a map nor empty, maps the edit layer declines.
 */
import { IGNORE_ANNOTATION_PREFIX } from '../directives';
import type { ObjectInfo } from '../model/workloads';
import type { TextEdit } from '../types';
import { childTarget, type EditableChunk, type EditTarget } from '../yaml/targets';

/** Where the annotation goes: the object's `metadata.annotations`. */
export function annotationsTarget(object: ObjectInfo): EditTarget {
  return childTarget(object.target, 'metadata', 'annotations');
}

export function ignoreAnnotationEdit(object: ObjectInfo, chunk: EditableChunk, ruleId: string, reason: string): TextEdit | undefined {
  if (object.viaAlias) return undefined;
  const key = IGNORE_ANNOTATION_PREFIX + ruleId;
  if (object.annotations.has(key)) return undefined;
  const metadata = childTarget(object.target, 'metadata');
  const annotations = annotationsTarget(object);
  switch (chunk.shape(metadata)) {
    case 'absent':
      return chunk.insertEntry(object.target, 'metadata', { annotations: { [key]: reason } }, { before: ['spec'] });
    case 'empty':
      return chunk.fillEmptyValue(metadata, { annotations: { [key]: reason } });
    case 'map':
      break;
    default:
      return undefined;
  }
  switch (chunk.shape(annotations)) {
    case 'absent':
      return chunk.insertEntry(metadata, 'annotations', { [key]: reason });
    case 'empty':
      return chunk.fillEmptyValue(annotations, { [key]: reason });
    case 'map':
      return chunk.insertEntry(annotations, key, reason);
    default:
      return undefined;
  }
}
