/**
 * What is generated from the settings schema: the extension manifest's
 * `contributes.configuration`, the JSON Schema of `.kube-graceful.yaml`, and the words the
 * README's settings table uses. `test/tools/sync-manifest.js` writes the first two into the
 * repository and the unit tests fail when the committed copies are stale.
 */
import { RULES } from '../rules';
import { docsUrl, type RuleMeta } from '../rules/types';
import { EDITOR_SECTION, fileSettings, RULE_SEVERITY_KEY, ruleOptions, SETTINGS_SCHEMA, SEVERITY_DESCRIPTIONS, SEVERITY_VALUES, type SettingSpec } from '../settings/schema';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

/** Where the committed JSON Schema lives, from the repository root. */
export const CONFIG_SCHEMA_PATH = 'server/schemas/kube-graceful.schema.json';
export const CONFIG_SCHEMA_ID = `https://raw.githubusercontent.com/kube-graceful/kube-graceful/main/${CONFIG_SCHEMA_PATH}`;
/** File names the editor associates with the JSON Schema (`contributes.yamlValidation`). */
export const CONFIG_SCHEMA_FILE_MATCH: readonly string[] = ['.kube-graceful.yaml', '.kube-graceful.yml'];

type Target = 'editor' | 'file';

/** The description with, for a rule's threshold, where else it can be set. */
export function fullDescription(spec: SettingSpec): string {
  if (spec.rule === undefined) return spec.description;
  return `${spec.description} Can also be set as an option of \`${spec.rule}\` under \`rules\`, which wins over this key.`;
}

function describe(target: Target, text: string): JsonObject {
  // VS Code reads markdownDescription; other JSON Schema tools read description.
  return target === 'editor' ? { markdownDescription: text } : { description: text, markdownDescription: text };
}

function valueSchema(spec: SettingSpec, target: Target): JsonObject {
  const t = spec.type;
  switch (t.kind) {
    case 'boolean':
      return { type: 'boolean' };
    case 'integer':
      return { type: 'integer', minimum: t.minimum, maximum: t.maximum };
    case 'string':
      // In YAML an unquoted `1.30` is a number; the file reads it by its text, so it is allowed there.
      return target === 'editor'
        ? { type: 'string', pattern: t.pattern, patternErrorMessage: `Expected ${t.expected}.` }
        : { type: ['string', 'number'], pattern: t.pattern };
    case 'stringList':
      return { type: 'array', items: { type: 'string', minLength: 1 } };
    case 'enum':
      return { type: 'string', enum: [...t.values], enumDescriptions: [...t.descriptions] };
    case 'rules':
      return rulesSchema(target);
  }
}

function severitySchema(): JsonObject {
  return { type: 'string', enum: [...SEVERITY_VALUES], enumDescriptions: [...SEVERITY_DESCRIPTIONS] };
}

function ruleSchema(rule: RuleMeta, target: Target): JsonObject {
  const head = `${rule.title}. Default \`${rule.defaultSeverity}\`${rule.fixable ? '; has a quick fix' : ''}.`;
  const docs = `[Documentation](${docsUrl(rule.id)})`;
  const options = ruleOptions(rule.id);
  const properties: JsonObject = { [RULE_SEVERITY_KEY]: { ...severitySchema(), ...describe(target, 'Severity of the rule.') } };
  for (const o of options) properties[o.key] = { ...valueSchema(o, target), ...describe(target, o.description) };
  const names = options.map((o) => `\`${o.key}\``).join(', ');
  const form = options.length === 0 ? `\`{ ${RULE_SEVERITY_KEY}: … }\`` : `a map of \`${RULE_SEVERITY_KEY}\` and the rule's options (${names})`;
  return {
    anyOf: [severitySchema(), { type: 'object', properties, additionalProperties: false }],
    ...describe(target, `${head} A severity, or ${form}. ${docs}`),
  };
}

function rulesSchema(target: Target): JsonObject {
  const properties: JsonObject = {};
  for (const rule of RULES) properties[rule.id] = ruleSchema(rule, target);
  return { type: 'object', properties, additionalProperties: false };
}

function property(spec: SettingSpec, target: Target): JsonObject {
  const head: JsonObject = target === 'editor' ? { scope: spec.scope } : {};
  return { ...head, ...valueSchema(spec, target), default: spec.default, ...describe(target, fullDescription(spec)) };
}

/** `contributes.configuration` of the extension manifest. */
export function editorConfiguration(): JsonObject {
  const properties: JsonObject = {};
  for (const spec of SETTINGS_SCHEMA) properties[`${EDITOR_SECTION}.${spec.key}`] = property(spec, 'editor');
  return { title: 'kube-graceful', properties };
}

/** `contributes.yamlValidation` of the extension manifest (used by the YAML extension). */
export function yamlValidation(): JsonValue {
  return [{ fileMatch: [...CONFIG_SCHEMA_FILE_MATCH], url: `./${CONFIG_SCHEMA_PATH}` }];
}

/** The JSON Schema (draft-07) of `.kube-graceful.yaml`. */
export function configJsonSchema(): JsonObject {
  const properties: JsonObject = {};
  for (const spec of fileSettings()) properties[spec.key] = property(spec, 'file');
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: CONFIG_SCHEMA_ID,
    title: 'kube-graceful configuration (.kube-graceful.yaml)',
    description: 'Settings shared by the kube-graceful CLI and editor extension. The nearest .kube-graceful.yaml from an analysed file upward applies.',
    type: 'object',
    properties,
    additionalProperties: false,
  };
}

/** The type of a setting in a few words, for the README. */
export function typeText(spec: SettingSpec): string {
  const t = spec.type;
  switch (t.kind) {
    case 'boolean':
      return 'boolean';
    case 'integer':
      return `integer, ${t.minimum}–${t.maximum}`;
    case 'string':
      return spec.key === 'kubernetesVersion' ? '"major.minor"' : 'string';
    case 'stringList':
      return 'list of strings';
    case 'enum':
      return t.values.map((v) => `\`${v}\``).join(' / ');
    case 'rules':
      return 'map: rule id → severity or options';
  }
}
