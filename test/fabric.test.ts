import { sizeFatTree } from '../pipeline/model/fabric';

// NVIDIA DGX SuperPOD H100 / B200 reference architectures, compute fabric (radix-64 QM9700, 8 rails,
// SU of 32 DGX): Table 4 of the network-fabrics page (the RA lists 31 nodes per SU because one DGX slot
// serves UFM; switch counts are those of the 32-node design), and the B200 RA for 16 and 64 SU.
describe('DGX SuperPOD reference figures', () => {
  test.each([
    [1, 8, 4, 0, 256],
    [2, 16, 8, 0, 512],
    [3, 24, 16, 0, 768],
    [4, 32, 16, 0, 1024],
    [16, 128, 128, 64, 4096],
    [64, 512, 512, 256, 16384],
  ])('%p SU: %p leaf, %p spine, %p core, %p leaf-spine links', (su, leaf, spine, core, leafSpine) => {
    const f = sizeFatTree(32 * su, 8, 64, 1);
    expect({ leaf: f.leaves, spine: f.spines, core: f.cores, leafSpine: f.leafSpineLinks }).toEqual({
      leaf,
      spine,
      core,
      leafSpine,
    });
    expect(f.tiers).toBe(core ? 3 : 2);
    expect(f.nodeLinks).toBe(256 * su);
  });
});

describe('fat-tree arithmetic', () => {
  test('2:1 oversubscription halves the spines', () => {
    const f = sizeFatTree(128, 8, 64, 2);
    // 42 down / 22 up per leaf; 32 leaves x 22 uplinks = 704 → 11 spines, and 11 divides 22.
    expect(f).toMatchObject({ leaves: 8 * Math.ceil(128 / 42), spines: 11, tiers: 2 });
    expect(f.oversubscription).toBeCloseTo(42 / 22, 9);
  });
  test('rails are never pooled: 10 nodes x 8 rails need 8 leaves, not 2', () => {
    expect(sizeFatTree(10, 8, 64).leaves).toBe(8);
  });
  test('a GB200 NVL72 rack has 72 rails', () => {
    const f = sizeFatTree(8, 72, 64);
    expect(f).toMatchObject({ endpoints: 576, leaves: 72, tiers: 3 });
  });
  test('beyond three tiers the fabric is infeasible at this radix', () => {
    expect(sizeFatTree(32 * 64, 8, 64).feasible).toBe(true);
    expect(sizeFatTree(20000, 8, 64).feasible).toBe(false);
    expect(sizeFatTree(20000, 8, 144).feasible).toBe(true);
  });
});
