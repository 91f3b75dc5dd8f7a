/** The API's own request schemas, read from its OpenAPI document: forms are built from them, never written twice. */

/**
 * @typedef {{ type?: string|string[], properties?: Record<string, JsonSchema>, required?: string[], enum?: unknown[],
 *   items?: JsonSchema, oneOf?: JsonSchema[], anyOf?: JsonSchema[], pattern?: string, default?: unknown, minimum?: number, maximum?: number }} JsonSchema
 */

/** @type {Promise<any>|null} */
let documentPromise = null;

/** The API's OpenAPI document, fetched once. */
const openapi = () => (documentPromise ??= fetch('/openapi.json').then((r) => r.json()));

/** The JSON body schema of an operation, e.g. bodySchema('post', '/api/claims/{id}/tranches'). @param {string} method @param {string} path @returns {Promise<JsonSchema>} */
export async function bodySchema(method, path) {
  const op = (await openapi()).paths?.[path]?.[method];
  const schema = op?.requestBody?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`no request schema for ${method.toUpperCase()} ${path}`);
  return schema;
}

/** The choices of an operation's query parameters that have a fixed set (e.g. the stages a list filters by), by name. @param {string} method @param {string} path @returns {Promise<Record<string, string[]>>} */
export async function queryChoices(method, path) {
  const op = (await openapi()).paths?.[path]?.[method];
  return Object.fromEntries((op?.parameters ?? []).filter((/** @type {any} */ p) => p.in === 'query' && p.schema?.enum)
    .map((/** @type {any} */ p) => [p.name, p.schema.enum.map(String)]));
}

/** @param {JsonSchema} s */
export const isNullable = (s) => Array.isArray(s.type) ? s.type.includes('null') : Boolean(s.anyOf?.some((x) => x.type === 'null'));
/** The schema without its null alternative. @param {JsonSchema} s @returns {JsonSchema} */
export function nonNull(s) {
  if (Array.isArray(s.type)) return { ...s, type: s.type.find((x) => x !== 'null') };
  if (s.anyOf) return s.anyOf.find((x) => x.type !== 'null') ?? s;
  return s;
}
/** The property that tells a union's options apart (each option has it as a one-value enum). @param {JsonSchema[]} options */
export function discriminatorOf(options) {
  const first = options[0]?.properties ?? {};
  return Object.keys(first).find((k) => options.every((o) => o.properties?.[k]?.enum?.length === 1)) ?? null;
}
