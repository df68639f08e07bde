/**
 * A plan over time for the benchmark: the 1M-accelerator example with 24 monthly phases. On-prem pools and
 * EC2 pools that are neither UltraServers nor Capacity Blocks ramp linearly from 1/24 to their full size;
 * Capacity Block pools hold 0 instances outside their block and their size inside it; UltraServer pools
 * stay as written. Deterministic, and it validates without errors (a failed run would be a MISS).
 */
import { parse } from 'yaml';
import { findInstanceType } from '../pipeline/catalog';

interface Pool {
  name: string;
  instances?: number;
  nodes?: number;
  instanceType?: string;
  capacity?: { type?: string; reservationId?: string };
}
interface Reservation {
  id: string;
  type: string;
  start?: string;
  end?: string;
}

export const PHASES = 24;

export function phasedPlan(text: string): string {
  const plan = parse(text) as { pools: Pool[]; reservations?: Reservation[] };
  const blocks = new Map((plan.reservations ?? []).map((r) => [r.id, r]));
  const blockOf = (p: Pool) =>
    p.capacity?.type === 'capacity-block' ? blocks.get(p.capacity.reservationId ?? '') : undefined;
  const ultra = (p: Pool) => Boolean(p.instanceType && findInstanceType(p.instanceType)?.ultraServer);
  const ramps = plan.pools.filter((p) => !blockOf(p) && !ultra(p));
  const phases: { date: string; pools: string[] }[] = [];
  for (let k = 1; k <= PHASES; k++) {
    const date = new Date(Date.UTC(2026, 11 + k, 1)).toISOString().slice(0, 10);
    const pools = ramps.map((p) => {
      const unit = p.instances !== undefined ? 'instances' : 'nodes';
      return `{ name: ${p.name}, ${unit}: ${Math.ceil(((p[unit] ?? 0) * k) / PHASES)} }`;
    });
    // Capacity Block pools: none before their block, full inside it (the block bounds are judged too).
    if (k === 1) for (const p of plan.pools) if (blockOf(p)) pools.push(`{ name: ${p.name}, instances: 0 }`);
    phases.push({ date, pools });
  }
  for (const p of plan.pools) {
    const b = blockOf(p);
    if (!b?.start || !b.end) continue;
    phases.push({ date: b.start, pools: [`{ name: ${p.name}, instances: ${p.instances} }`] });
    phases.push({ date: b.end, pools: [`{ name: ${p.name}, instances: 0 }`] });
  }
  const timeline = phases
    .map((ph) => `  - date: ${ph.date}\n    pools:\n${ph.pools.map((x) => `      - ${x}\n`).join('')}`)
    .join('');
  return `${text.trimEnd()}\ntimeline:\n${timeline}`;
}
