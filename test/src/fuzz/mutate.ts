/**
 * Mutations of real manifests: the damage a user does while typing or pasting, and the input a
 * hostile or broken tool produces. Each operator is a pure function of the text and the PRNG.
 */
import type { Rng } from './random';

export type MutationKind =
  | 'truncate'
  | 'delete-lines'
  | 'duplicate-lines'
  | 'swap-lines'
  | 'indent-shift'
  | 'tabs'
  | 'random-bytes'
  | 'template'
  | 'giant-scalar'
  | 'long-line'
  | 'document-markers'
  | 'anchors'
  | 'line-endings'
  | 'flow-brackets'
  | 'splice';

export const MUTATIONS: readonly MutationKind[] = [
  'truncate',
  'delete-lines',
  'duplicate-lines',
  'swap-lines',
  'indent-shift',
  'tabs',
  'random-bytes',
  'template',
  'giant-scalar',
  'long-line',
  'document-markers',
  'anchors',
  'line-endings',
  'flow-brackets',
  'splice',
];

export interface MutateOptions {
  /** Other texts whose lines a splice may borrow. */
  readonly donors?: readonly string[];
  /** Upper bound for giant scalars and long lines (characters). */
  readonly maxGiant?: number;
}

/** Lines with their line endings, so that joining them gives the text back. */
function splitLines(text: string): string[] {
  const out = text.split(/(?<=\n)/);
  return out.length === 1 && out[0] === '' ? [] : out;
}

function lineRange(rng: Rng, lines: readonly string[], maxLen: number): [number, number] {
  const start = rng.int(0, Math.max(0, lines.length - 1));
  const len = rng.int(1, maxLen);
  return [start, Math.min(lines.length, start + len)];
}

function eolOf(line: string): string {
  return line.endsWith('\r\n') ? '\r\n' : line.endsWith('\n') ? '\n' : '';
}

function stripEol(line: string): string {
  return line.slice(0, line.length - eolOf(line).length);
}

const NASTY_CHARS = [
  ':', '-', '#', '&', '*', '!', '|', '>', '{', '}', '[', ']', ',', '?', '%', '@', '`', '"', "'", '\\',
  ' ', '\t', '\n', '\r', '\r\n', '\0', '\u0001', '\u001b', '\u007f', '\u0085', '\u00a0', '\u2028', '\ufeff',
  '\ud800', '\udfff', '😀', 'é', '---', '...', '<<', '~', 'null', '0x1F', '1e999', '-.inf',
];

const TEMPLATES = [
  '{{ .Values.replicas }}',
  '{{- if .Values.enabled }}',
  '{{- end }}',
  '{{ include "chart.labels" . | nindent 4 }}',
  '{{ toYaml .Values.resources | indent 10 }}',
  '{% for c in containers %}',
  '{% endfor %}',
  '{# comment #}',
  '${IMAGE_TAG}',
  '{{',
  '}}',
];

function randomText(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    if (rng.chance(0.5)) s += rng.pick(NASTY_CHARS);
    else s += String.fromCharCode(rng.chance(0.9) ? rng.int(32, 126) : rng.int(0, 0xffff));
  }
  return s;
}

function giantString(rng: Rng, n: number): string {
  const unit = rng.pick(['a', 'ab ', 'x: ', '# ', '- ', '{', '[', '😀', '\\"', 'é']);
  return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
}

/** One mutation of the given kind. */
export function mutateOnce(text: string, kind: MutationKind, rng: Rng, opts: MutateOptions = {}): string {
  const lines = splitLines(text);
  const maxGiant = opts.maxGiant ?? 200_000;
  switch (kind) {
    case 'truncate':
      return text.slice(0, rng.int(0, text.length));
    case 'delete-lines': {
      if (lines.length === 0) return text;
      const [a, b] = lineRange(rng, lines, 5);
      lines.splice(a, b - a);
      return lines.join('');
    }
    case 'duplicate-lines': {
      if (lines.length === 0) return text;
      const [a, b] = lineRange(rng, lines, 8);
      const copy = lines.slice(a, b);
      const last = copy.length - 1;
      if (last >= 0 && eolOf(copy[last] ?? '') === '') copy[last] = `${copy[last] ?? ''}\n`;
      lines.splice(rng.chance(0.7) ? b : rng.int(0, lines.length), 0, ...copy);
      return lines.join('');
    }
    case 'swap-lines': {
      if (lines.length < 2) return text;
      const i = rng.int(0, lines.length - 1);
      const j = rng.int(0, lines.length - 1);
      const a = lines[i] ?? '';
      const b = lines[j] ?? '';
      lines[i] = stripEol(b) + eolOf(a);
      lines[j] = stripEol(a) + eolOf(b);
      return lines.join('');
    }
    case 'indent-shift': {
      if (lines.length === 0) return text;
      const [a, b] = lineRange(rng, lines, 6);
      const by = rng.pick([-4, -2, -1, 1, 2, 3, 4]);
      for (let i = a; i < b; i++) {
        const l = lines[i] ?? '';
        lines[i] = by > 0 ? ' '.repeat(by) + l : l.replace(new RegExp(`^ {0,${-by}}`), '');
      }
      return lines.join('');
    }
    case 'tabs': {
      if (lines.length === 0) return `\t${text}`;
      const [a, b] = lineRange(rng, lines, 6);
      for (let i = a; i < b; i++) {
        const l = lines[i] ?? '';
        lines[i] = rng.chance(0.5) ? l.replace(/^( {2})+/, (m) => '\t'.repeat(m.length / 2)) : l.replace(/: /, ':\t');
      }
      return lines.join('');
    }
    case 'random-bytes': {
      let out = text;
      const n = rng.int(1, 6);
      for (let k = 0; k < n; k++) {
        const at = rng.int(0, out.length);
        const del = rng.chance(0.5) ? rng.int(0, 4) : 0;
        out = out.slice(0, at) + randomText(rng, rng.int(1, 8)) + out.slice(Math.min(out.length, at + del));
      }
      return out;
    }
    case 'template': {
      const t = rng.pick(TEMPLATES);
      if (lines.length === 0 || rng.chance(0.3)) {
        const at = rng.int(0, text.length);
        return text.slice(0, at) + t + text.slice(at);
      }
      const i = rng.int(0, lines.length - 1);
      const l = lines[i] ?? '';
      const indent = /^\s*/.exec(l)?.[0] ?? '';
      if (rng.chance(0.5)) lines.splice(i, 0, `${indent}${t}\n`);
      else lines[i] = stripEol(l).replace(/:\s.*$|$/, `: ${t}`) + eolOf(l);
      return lines.join('');
    }
    case 'giant-scalar': {
      const n = rng.int(1000, maxGiant);
      const values = [...text.matchAll(/: ([^\n#]+)$/gm)];
      if (values.length === 0) return `${text}\nkey: ${giantString(rng, n)}\n`;
      const m = rng.pick(values);
      const at = (m.index ?? 0) + 2;
      const end = at + (m[1] ?? '').length;
      const quoted = rng.pick(['', '"', "'"]);
      const raw = giantString(rng, n);
      const body = quoted === '' ? raw : raw.split(quoted).join('');
      return `${text.slice(0, at)}${quoted}${body}${quoted}${text.slice(end)}`;
    }
    case 'long-line': {
      const i = rng.int(0, lines.length);
      const n = rng.int(1000, maxGiant);
      lines.splice(i, 0, `${rng.pick(['', '  ', '    - ', '# '])}${giantString(rng, n)}\n`);
      return lines.join('');
    }
    case 'document-markers': {
      const i = rng.int(0, lines.length);
      lines.splice(i, 0, `${rng.pick(['---', '...', '--- |', '---\t# c', '%YAML 1.2', '--- !!map', '--- &a'])}\n`);
      return lines.join('');
    }
    case 'anchors': {
      if (lines.length === 0) return text;
      const i = rng.int(0, lines.length - 1);
      const l = lines[i] ?? '';
      const name = rng.pick(['a', 'b', 'x']);
      const variant = rng.int(0, 3);
      if (variant === 0) lines[i] = stripEol(l).replace(/: /, `: &${name} `) + eolOf(l);
      else if (variant === 1) lines[i] = stripEol(l).replace(/: .*$/, `: *${name}`) + eolOf(l);
      else if (variant === 2) lines.splice(i, 0, `${/^\s*/.exec(l)?.[0] ?? ''}<<: *${name}\n`);
      else lines[i] = stripEol(l).replace(/^(\s*)(- )?([\w.-]+):\s*$/, `$1$2$3: &${name}`) + eolOf(l);
      return lines.join('');
    }
    case 'line-endings': {
      const v = rng.int(0, 2);
      if (v === 0) return text.replace(/\r?\n/g, '\r\n');
      if (v === 1) return text.replace(/\r\n/g, '\n');
      return lines.map((l) => (rng.chance(0.3) ? stripEol(l) + (eolOf(l) === '' ? '' : rng.pick(['\r\n', '\n', '\r'])) : l)).join('');
    }
    case 'flow-brackets': {
      const at = rng.int(0, text.length);
      return text.slice(0, at) + rng.pick(['{', '[', '}', ']', '{a: [', ']}', '[[[[', '{{{{']) + text.slice(at);
    }
    case 'splice': {
      const donors = opts.donors ?? [];
      if (donors.length === 0) return text;
      const donor = splitLines(rng.pick(donors));
      if (donor.length === 0) return text;
      const [a, b] = lineRange(rng, donor, 20);
      const piece = donor.slice(a, b).map((l) => (eolOf(l) === '' ? `${l}\n` : l));
      lines.splice(rng.int(0, lines.length), 0, ...piece);
      return lines.join('');
    }
  }
}

/** One to `max` random mutations; returns the text and what was done (for the report). */
export function mutate(text: string, rng: Rng, opts: MutateOptions & { readonly max?: number } = {}): { text: string; applied: MutationKind[] } {
  const n = rng.chance(0.6) ? 1 : rng.int(2, Math.max(2, opts.max ?? 3));
  const applied: MutationKind[] = [];
  let out = text;
  for (let i = 0; i < n; i++) {
    const kind = rng.pick(MUTATIONS);
    out = mutateOnce(out, kind, rng, opts);
    applied.push(kind);
  }
  return { text: out, applied };
}
