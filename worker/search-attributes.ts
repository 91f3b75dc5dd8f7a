/**
 * Registers Redress's search attributes (workflows/search-attributes.ts) in a namespace, adding only those missing.
 * Run by npm start, the worker at start-up, the cluster test harness and the benchmarks. On Temporal Cloud the
 * operator API may refuse a worker's API key: add them once with `tcld namespace search-attributes add` instead.
 */
import type { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/search-attributes';

export async function registerSearchAttributes(connection: Pick<Connection, 'operatorService'>, namespace: string): Promise<string[]> {
  const unimplemented = (err: unknown) => (err as { code?: number }).code === 12 /* gRPC UNIMPLEMENTED */;
  // The Java time-skipping test server lists none (UNIMPLEMENTED): then every attribute is added.
  const existing = await connection.operatorService.listSearchAttributes({ namespace }).catch((err: unknown) => {
    if (unimplemented(err)) return { customAttributes: {}, systemAttributes: {} };
    throw err;
  });
  const known = new Set([...Object.keys(existing.customAttributes ?? {}), ...Object.keys(existing.systemAttributes ?? {})]);
  const missing = SEARCH_ATTRIBUTE_KEYS.filter((k) => !known.has(k.name));
  if (missing.length === 0) return [];
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((k) => [k.name, encodeSearchAttributeIndexedValueType(k.type)!])),
  }).catch((err: unknown) => {
    if (!unimplemented(err) && !/already (exists|registered)/i.test((err as Error).message)) throw err;
  });
  return missing.map((k) => k.name);
}
