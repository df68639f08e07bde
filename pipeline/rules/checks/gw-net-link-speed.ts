import type { Finding, Rule } from '../rule';
import { fabricTarget } from '../rule';

/** Node NICs, fabric link speed and switch ports agree, with port splitting counted. */
export const netLinkSpeed: Rule = {
  id: 'GW-NET-LINK-SPEED',
  severity: 'error',
  category: 'network',
  title:
    "Each on-prem fabric's link speed matches its nodes' NICs and its switch's ports (split ports counted)",
  explanation:
    "The fabric is sized at linkGbps with switchRadix ports per switch. Nodes whose NICs are slower than linkGbps cannot use a whole port: the fabric is really built by splitting each switch port (an 800G port as 2 × 400G), which doubles the ports per switch and changes every switch count. Nodes whose NICs are faster run at linkGbps. A catalog switch (switchModel) of N ports at P Gbps offers N · P/L ports at L Gbps when L divides P, and cannot run at a speed above its ports'.",
  check(plan) {
    const out: Finding[] = [];
    for (const f of plan.fabrics) {
      const links = f.links;
      if (!links) continue;
      const target = fabricTarget(f.name);
      const model = f.spec.switchModel;
      const at = (n: number): string => `${n}G`;
      if (links.switchPortGbps !== undefined && links.split === undefined)
        out.push({
          path: ['fabrics', f.index, 'linkGbps'],
          target,
          message: `Fabric '${f.name}': ${model} ports run at ${at(links.switchPortGbps)}; they cannot carry ${at(links.linkGbps)} links.`,
          hint: `Set linkGbps to ${at(links.switchPortGbps)} or a speed that divides it, or pick a switch with ${at(links.linkGbps)} ports.`,
        });
      const radix = f.spec.switchRadix;
      if (links.portsAtLink !== undefined && radix !== undefined && radix > links.portsAtLink)
        out.push({
          path: ['fabrics', f.index, 'switchRadix'],
          target,
          message: `Fabric '${f.name}': ${model} has ${links.switchPorts} ports at ${at(links.switchPortGbps!)}, ${links.portsAtLink} at ${at(links.linkGbps)}; switchRadix ${radix} asks for more.`,
          hint: `Set switchRadix: ${links.portsAtLink}.`,
        });
      const seen = new Set<number>();
      for (const m of links.mismatched) {
        if (seen.has(m.nicGbps)) continue;
        seen.add(m.nicGbps);
        const pool = plan.poolByName.get(m.pool)!;
        const slower = m.nicGbps < links.linkGbps && links.linkGbps % m.nicGbps === 0;
        const factor = links.linkGbps / m.nicGbps;
        const splitRadix =
          slower && links.switchPortGbps !== undefined && links.switchPortGbps % m.nicGbps === 0
            ? links.switchPorts! * (links.switchPortGbps / m.nicGbps)
            : slower && radix !== undefined
              ? radix * factor
              : undefined;
        out.push({
          path: ['pools', pool.index, 'fabric'],
          target,
          severity: m.nicGbps > links.linkGbps ? 'warning' : undefined,
          message:
            m.nicGbps > links.linkGbps
              ? `Fabric '${f.name}' links nodes at ${at(links.linkGbps)} but pool '${m.pool}' (${pool.typeName}) has ${at(m.nicGbps)} NICs: they run at ${at(links.linkGbps)}.`
              : `Fabric '${f.name}' is sized at ${at(links.linkGbps)} links but pool '${m.pool}' (${pool.typeName}) has ${at(m.nicGbps)} NICs: each node link takes a ${at(m.nicGbps)} share of a port, so the switch counts are wrong.`,
          hint:
            splitRadix !== undefined
              ? `Size the fabric at the nodes' speed with split ports: linkGbps: ${m.nicGbps} and switchRadix: ${splitRadix} (each ${at(links.linkGbps)} port as ${factor} × ${at(m.nicGbps)}).`
              : `Set linkGbps: ${m.nicGbps} with the switch's port count at that speed, or move the pool to a fabric of its speed.`,
        });
      }
    }
    return out;
  },
};
