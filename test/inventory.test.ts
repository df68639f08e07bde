import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { inventoryRows, MAX_INVENTORY_ROWS } from '../pipeline/model/limits';
import { check, runCli, tempDir } from './helpers';

const csv = (file: string) =>
  parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];

describe('gigawatt inventory (spawned)', () => {
  const out = join(tempDir(), 'inv');
  const r = runCli(['inventory', 'examples/mining-site-dgx.yaml', '--out', out]);

  test('exits 0 and writes the four files', () => {
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('inventory/racks.csv');
  });

  test('racks.csv: one row per node, SUs of 32 DGX in 8 racks of 4, NVL72 one rack each', () => {
    const rows = csv(join(out, 'inventory/racks.csv'));
    expect(Object.keys(rows[0])).toEqual([
      'node',
      'pool',
      'system',
      'site',
      'hall',
      'rack',
      'rack_unit',
      'feed',
      'max_kw',
    ]);
    expect(rows).toHaveLength(1024 + 768 + 128);
    const h200 = rows.filter((x) => x.pool === 'h200');
    expect(new Set(h200.map((x) => x.rack)).size).toBe(256);
    expect(h200.slice(0, 5).map((x) => [x.rack, x.rack_unit])).toEqual([
      ['hall-a-r0001', '1'],
      ['hall-a-r0001', '9'],
      ['hall-a-r0001', '17'],
      ['hall-a-r0001', '25'],
      ['hall-a-r0002', '1'],
    ]);
    const nvl = rows.filter((x) => x.pool === 'gb200');
    expect(new Set(nvl.map((x) => x.rack)).size).toBe(128);
    expect(nvl.every((x) => x.hall === 'hall-c' && x.feed === 'feed-3')).toBe(true);
  });

  test('switches.csv and the bill of materials agree with the fabric sizing', () => {
    const sw = csv(join(out, 'inventory/switches.csv'));
    const bom = JSON.parse(readFileSync(join(out, 'inventory/bom.json'), 'utf8')).items as {
      category: string;
      item: string;
      quantity: number;
    }[];
    expect(bom.find((b) => b.category === 'switch')!.quantity).toBe(sw.length);
    expect(bom.find((b) => b.item === 'node-leaf 400G')!.quantity).toBe(1024 * 8 + 768 * 8 + 128 * 72);
    expect(csv(join(out, 'inventory/bom.csv')).map((b) => b.item)).toContain('gb200-nvl72');
  });

  test('the row limit counts the rows written: racks.csv plus switches.csv', () => {
    const plan = check(readFileSync('examples/mining-site-dgx.yaml', 'utf8')).plan!;
    const written =
      csv(join(out, 'inventory/racks.csv')).length + csv(join(out, 'inventory/switches.csv')).length;
    expect(inventoryRows(plan)).toBe(written);
    expect(written).toBeLessThan(MAX_INVENTORY_ROWS);
  });
});
