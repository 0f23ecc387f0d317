/**
 * Raising a load balancer's draining time where the manifest writes it: the number in
 * `deregistration_delay.timeout_seconds=N` inside an AWS target-group-attributes annotation
 * (the other attributes kept), AGIC's `connection-draining-timeout` annotation, or a GKE
 * BackendConfig's `connectionDraining.drainingTimeoutSec`. The value is in another document
 * than the pod (the Ingress, the Service, the BackendConfig), so the fix is built on that
 * document of the same file (`FixEnv.documentAt`); in another file it is not offered.
 */
import { MAX_DRAIN_SECONDS, type LbDrain } from '../model/lb';
import type { FixBuilder } from './types';

function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

/** A builder that sets the draining time `drain` describes to `seconds`. */
export function raiseDrainFix(drain: LbDrain, seconds: number): FixBuilder {
  return (env) => {
    if (drain.filePath !== undefined) {
      return { reason: `the draining time is written in another file (${fileName(drain.filePath)}); a fix edits only the file of its finding` };
    }
    if (seconds > MAX_DRAIN_SECONDS) return { reason: `the draining time would have to exceed the load balancer's maximum of ${MAX_DRAIN_SECONDS} s` };
    const edit = drain.edit;
    const doc = env.documentAt?.(drain.span.start);
    if (!edit || !doc) return { reason: 'the draining time is not written where a fix can change it (a template, an alias, or a value that is not a plain number)' };
    const text = edit.form === 'number' ? doc.chunk.setScalar(edit.target, seconds) : doc.chunk.replaceInScalar(edit.target, edit.from, edit.to, String(seconds));
    if (!text) return undefined;
    return { title: `Raise the draining time to ${seconds} s (${drain.setting.replace(/\d+/, String(seconds))})`, edits: [text], touches: [edit.target], inDocument: doc.start };
  };
}
