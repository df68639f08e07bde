/**
 * The public surface of `gigawatt/constructs` as the built package has it (dist/, what `npm pack` ships):
 * the constructs, their props and interfaces, and buildStacks. Internals (AMI types, add-on lists,
 * node-group arithmetic) stay importable by module path inside the repository, never from the entry.
 */
import { join } from 'node:path';
import ts from 'typescript';
import { ROOT } from './helpers';

const entry = join(ROOT, 'dist/constructs/index');

test('the entry exports at run time only the constructs and buildStacks', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect(Object.keys(require(entry)).sort()).toEqual([
    'AcceleratorPool',
    'GpuCluster',
    'NetworkFabric',
    'PowerEnvelope',
    'buildStacks',
  ]);
});

test('the declarations export only the constructs, their props, interfaces and buildStacks', () => {
  const program = ts.createProgram([`${entry}.d.ts`], { types: [], noEmit: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(`${entry}.d.ts`)!)!;
  expect(
    checker
      .getExportsOfModule(module)
      .map((s) => s.name)
      .sort(),
  ).toEqual([
    'AcceleratorPool',
    'AcceleratorPoolProps',
    'ExistingNetworkAttributes',
    'GpuCluster',
    'GpuClusterAttributes',
    'GpuClusterOptions',
    'GpuClusterProps',
    'IGpuCluster',
    'INetworkFabric',
    'NetworkFabric',
    'NetworkFabricProps',
    'PoolOptions',
    'PowerEnvelope',
    'PowerEnvelopeProps',
    'ReservationOptions',
    'StackOptions',
    'buildStacks',
  ]);
});
