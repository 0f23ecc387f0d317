/**
 * Which text is a template (Helm / Go templates, Jinja) rather than a plain manifest.
 *
 * - A file with a control line — a line that is only a template action such as
 *   `{{- if .Values.enabled }}`, `{{ end }}`, `{{- range … }}`, `{% if %}` — is one template:
 *   its plain-looking documents are only parts of what it renders, so none of them is judged
 *   or fixed.
 * - Otherwise a document is a template when it has template syntax outside quoted strings,
 *   comments and block scalars. Inside those, `{{ }}` is ordinary text (Grafana legends,
 *   Prometheus alert templates, Go templates in a ConfigMap) unless it refers to Helm's
 *   built-in objects or functions (`.Values`, `.Release`, `include`, `toYaml`, …), or the
 *   document is not valid YAML (`"{{ template "name" . }}"`): then it is a template too, never
 *   a syntax error.
 */

const CONTROL_LINE = /^[ \t]*(?:\{\{-?\s*(?:if|else|end|range|with|define|block|template|include|\/\*)\b[^\n]*?-?\}\}|\{%-?\s*(?:if|elif|else|endif|for|endfor|set|macro|endmacro|block|endblock|include|import)\b[^\n]*?-?%\})[ \t]*\r?$/m;

const HELM_REFERENCE = /\{\{-?[^}\n]{0,300}?(?:\.Values\b|\.Release\b|\.Chart\b|\.Capabilities\b|\.Files\b|\.Template\b|\binclude\b|\btpl\b|\btoYaml\b|\brequired\b|\bdefault\b)/;

const TEMPLATE_START = /\{\{|\{%|\{#/g;

/** `key: |`, `key: >-`, `- |2`: the lines after it indented further are a block scalar. */
const BLOCK_SCALAR_HEADER = /(?:^\s*-|:)\s+[|>][0-9+-]*\s*(?:#.*)?\r?$/;

/**
 * Offset of the file's first template control line (which makes the whole file one template);
 * -1 when none. A control line inside a block scalar counts only when it refers to Helm's
 * objects (`{{ define }}` / `{{ end }}` in an Alertmanager template held by a ConfigMap do not).
 */
export function templateControlLine(text: string): number {
  if ((text.indexOf('{{') === -1 && text.indexOf('{%') === -1) || !CONTROL_LINE.test(text)) return -1;
  let offset = 0;
  let blockIndent = -1;
  for (const line of text.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    const indent = /^[ \t]*/.exec(line)?.[0].length ?? 0;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) {
        if (CONTROL_LINE.test(line) && HELM_REFERENCE.test(line)) return lineStart + indent;
        continue;
      }
      blockIndent = -1;
    }
    if (CONTROL_LINE.test(line)) return lineStart + indent;
    if (BLOCK_SCALAR_HEADER.test(line)) blockIndent = indent;
  }
  return -1;
}

/**
 * Offset of the first template syntax in a document that is outside quoted strings, comments
 * and block scalars (or, inside them, refers to Helm's objects); -1 when the document is plain.
 */
export function templateIndex(doc: string): number {
  TEMPLATE_START.lastIndex = 0;
  if (!TEMPLATE_START.test(doc)) return -1;
  let offset = 0;
  let blockIndent = -1; // inside a block scalar whose parent line has this indentation
  let quote: '"' | "'" | undefined; // a quoted scalar continued from an earlier line
  for (const line of doc.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    const indent = /^[ \t]*/.exec(line)?.[0].length ?? 0;
    const blank = line.trim() === '';
    if (blockIndent >= 0) {
      if (blank || indent > blockIndent) {
        if (HELM_REFERENCE.test(line)) return lineStart + line.indexOf('{');
        continue;
      }
      blockIndent = -1;
    }
    let i = 0;
    let plainStart = -1;
    let lastNonSpace = '';
    const check = (from: number, to: number): number => {
      const seg = line.slice(from, to);
      const m = /\{\{|\{%|\{#/.exec(seg);
      return m ? lineStart + from + m.index : -1;
    };
    while (i <= line.length) {
      if (quote) {
        const start = i;
        let end = -1;
        for (let j = i; j < line.length; j++) {
          const c = line[j];
          if (quote === '"' && c === '\\') {
            j++;
            continue;
          }
          if (c === quote) {
            if (quote === "'" && line[j + 1] === "'") {
              j++;
              continue;
            }
            end = j;
            break;
          }
        }
        const inside = line.slice(start, end === -1 ? line.length : end);
        if (HELM_REFERENCE.test(inside)) return lineStart + start + inside.indexOf('{');
        if (end === -1) break;
        quote = undefined;
        lastNonSpace = line[end] ?? '';
        i = end + 1;
        continue;
      }
      if (plainStart === -1) plainStart = i;
      const c = line[i];
      const prev = i === 0 ? ' ' : line[i - 1];
      if (c === undefined || (c === '#' && (prev === ' ' || prev === '\t'))) {
        const at = check(plainStart, i);
        if (at >= 0) return at;
        plainStart = -1;
        break;
      }
      // A quote opens a quoted scalar only where a value or flow item starts.
      if ((c === '"' || c === "'") && (lastNonSpace === '' || ':-[{,?'.includes(lastNonSpace))) {
        const at = check(plainStart, i);
        if (at >= 0) return at;
        plainStart = -1;
        quote = c;
        i++;
        continue;
      }
      if (c !== ' ' && c !== '\t') lastNonSpace = c;
      i++;
    }
    if (!quote && BLOCK_SCALAR_HEADER.test(line)) blockIndent = indent;
  }
  return -1;
}

/**
 * The template decision for one document of a file without control lines: `templateIndex`,
 * and a document with template syntax anywhere that does not parse is a template as well.
 * `parses` is asked only when needed.
 */
export function templateAt(doc: string, parses: () => boolean): number {
  const at = templateIndex(doc);
  if (at >= 0) return at;
  TEMPLATE_START.lastIndex = 0;
  const any = TEMPLATE_START.exec(doc);
  if (!any || parses()) return -1;
  return any.index;
}
