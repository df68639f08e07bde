/** Unknown instance types and systems in pools, with the nearest catalog names. Works on raw plan data. */
import { findInstanceType, findSystem, instanceTypeNames, systemNames } from '../catalog';
import { didYouMean } from '../util/suggest';

export interface UnknownType {
  readonly path: (string | number)[];
  readonly target: string;
  readonly message: string;
  readonly hint: string;
}

const ADD_HINT = 'add a sourced entry to pipeline/catalog/data/catalog.json (see docs/catalog.md)';

export function unknownInstanceType(pool: string, type: string, index: number): UnknownType {
  return {
    path: ['pools', index, 'instanceType'],
    target: `pools.${pool}`,
    message: `Pool '${pool}': unknown instance type '${type}'.${didYouMean(type, instanceTypeNames())}`,
    hint: `Use a type from the catalog (\`gigawatt catalog\` lists them), or ${ADD_HINT}.`,
  };
}

export function unknownSystem(pool: string, name: string, index: number): UnknownType {
  return {
    path: ['pools', index, 'system'],
    target: `pools.${pool}`,
    message: `Pool '${pool}': unknown system '${name}'.${didYouMean(name, systemNames())}`,
    hint: `Use a system from the catalog (\`gigawatt catalog\` lists them), or ${ADD_HINT}.`,
  };
}

/** Scan raw (possibly schema-invalid) plan data for unknown catalog names. */
export function unknownPoolTypes(value: unknown): UnknownType[] {
  const pools = (value as { pools?: unknown })?.pools;
  if (!Array.isArray(pools)) return [];
  const out: UnknownType[] = [];
  pools.forEach((pool: unknown, index) => {
    if (!pool || typeof pool !== 'object') return;
    const p = pool as { name?: unknown; instanceType?: unknown; system?: unknown };
    const name = typeof p.name === 'string' ? p.name : `#${index}`;
    if (typeof p.instanceType === 'string' && !findInstanceType(p.instanceType))
      out.push(unknownInstanceType(name, p.instanceType, index));
    else if (typeof p.system === 'string' && p.instanceType === undefined && !findSystem(p.system))
      out.push(unknownSystem(name, p.system, index));
  });
  return out;
}
