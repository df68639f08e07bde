/**
 * The data-centre inventory of a plan's on-prem sites, as a DCIM would load it: racks.csv (node → rack →
 * hall → feed), switches.csv (switch → tier → fabric) and a bill of materials (bom.csv, bom.json).
 * Every text cell of the CSV files passes through `csvCell` (pipeline/util/safe-text): a feed or switch model
 * written as `=HYPERLINK(...)` opens in a spreadsheet as text, not as a formula.
 *
 * Rows are bounded before one is built: a plan whose inventory would exceed MAX_INVENTORY_ROWS (racks.csv
 * and switches.csv together) throws GigawattError (exit 2), whatever its counts.
 */
export { MAX_INVENTORY_ROWS };
import { stringify } from 'csv-stringify/sync';
import { csvCell } from '../util/safe-text';
import type { ResolvedPlan } from '../model';
import { assertInventoriable, MAX_INVENTORY_ROWS } from '../model/limits';
import { nodeSlot, rackName, systemName } from '../model/racks';

/** CSV text of rows under a header; string cells defused, numbers as they are. */
const csv = (rows: readonly (readonly (string | number)[])[], columns: readonly string[]): string =>
  stringify(
    rows.map((r) => r.map((c) => (typeof c === 'string' ? csvCell(c) : c))),
    { header: true, columns: [...columns] },
  );

export function inventoryFiles(plan: ResolvedPlan): Map<string, string> {
  assertInventoriable(plan);
  const racks: (string | number)[][] = [];
  const switches: (string | number)[][] = [];
  const bom = new Map<string, { category: string; item: string; quantity: number; note: string }>();
  const add = (category: string, item: string, quantity: number, note = '') => {
    const key = `${category}|${item}`;
    const e = bom.get(key) ?? { category, item, quantity: 0, note };
    e.quantity += quantity;
    bom.set(key, e);
  };
  for (const site of plan.sites.filter((s) => s.placement)) {
    for (const pl of site.placement!.pools) {
      if (!pl.racks || !pl.hall) continue;
      const pool = pl.pool;
      for (let i = 0; i < pool.nodes; i++) {
        const { rack, slot } = nodeSlot(pl, i);
        const u = pl.rackUnitsPerNode ? 1 + slot * pl.rackUnitsPerNode : 1;
        racks.push([
          systemName(pool.name, i),
          pool.name,
          pool.typeName ?? '',
          site.name,
          pl.hall.name,
          rackName(pl.hall.name, rack),
          u,
          pl.hall.spec.feed ?? '',
          pool.powerPerNodeKW ?? '',
        ]);
      }
      add('system', pool.typeName ?? '', pool.nodes, pool.powerEstimate ? 'power figure is an estimate' : '');
    }
    for (const f of site.fabrics.filter((x) => x.sizing)) {
      const s = f.sizing!;
      const model = f.spec.switchModel ?? `${f.spec.switchRadix}-port ${f.spec.linkGbps}G switch`;
      const tiers: [string, number][] = [
        ['leaf', s.leaves],
        ['spine', s.spines],
        ['core', s.cores],
      ];
      for (const [tier, count] of tiers)
        for (let i = 1; i <= count; i++)
          switches.push([
            `${f.name}-${tier}-${String(i).padStart(4, '0')}`,
            tier,
            f.name,
            site.name,
            model,
            f.switchKW ?? '',
          ]);
      add(
        'switch',
        model,
        s.switches,
        f.switchKW === undefined ? 'power per switch unknown' : `${f.switchKW} kW each`,
      );
      add('cable', `node-leaf ${f.spec.linkGbps}G`, s.nodeLinks);
      add('cable', `leaf-spine ${f.spec.linkGbps}G`, s.leafSpineLinks);
      if (s.spineCoreLinks) add('cable', `spine-core ${f.spec.linkGbps}G`, s.spineCoreLinks);
      add(
        'transceiver port',
        `${f.spec.linkGbps}G`,
        s.transceiverPorts,
        'one per switch port in use; twin-port modules serve two',
      );
    }
  }
  const bomRows = [...bom.values()].sort(
    (a, b) => a.category.localeCompare(b.category) || a.item.localeCompare(b.item),
  );
  return new Map([
    [
      'inventory/racks.csv',
      csv(racks, ['node', 'pool', 'system', 'site', 'hall', 'rack', 'rack_unit', 'feed', 'max_kw']),
    ],
    ['inventory/switches.csv', csv(switches, ['switch', 'tier', 'fabric', 'site', 'model', 'kw'])],
    [
      'inventory/bom.csv',
      csv(
        bomRows.map((r) => [r.category, r.item, r.quantity, r.note]),
        ['category', 'item', 'quantity', 'note'],
      ),
    ],
    ['inventory/bom.json', JSON.stringify({ plan: plan.name, items: bomRows }, null, 2) + '\n'],
  ]);
}
