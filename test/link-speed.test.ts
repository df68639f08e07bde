/** GW-NET-LINK-SPEED: node NICs, fabric link speed and switch ports, with split ports counted. */
import { fabricLinks } from '../pipeline/model/fabric';
import { check, runCli, ROOT } from './helpers';
import { join } from 'node:path';

const plan = (fabric: string, system = 'dgx-h100') => `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: links }
sites:
  - name: dc
    provider: onprem
    power: { utilityMW: 20, redundancy: N+1, feeds: 2, pue: 1.3 }
fabrics:
  - { name: ib, site: dc, topology: rail-optimized-fat-tree, oversubscription: 1, switchKW: 1.5, ${fabric} }
pools:
  - { name: h100, site: dc, fabric: ib, system: ${system}, nodes: 64 }
`;
const findings = (yaml: string) => check(yaml).diagnostics.filter((d) => d.rule === 'GW-NET-LINK-SPEED');

describe('the model', () => {
  test('an 800G port runs as 2 x 400G; a 400G port cannot run at 800G', () => {
    expect(fabricLinks(400, [], { ports: 64, portGbps: 800 })).toMatchObject({ split: 2, portsAtLink: 128 });
    expect(fabricLinks(800, [], { ports: 64, portGbps: 400 }).split).toBeUndefined();
    expect(fabricLinks(400, [{ pool: 'a', nicGbps: 400 }]).mismatched).toEqual([]);
    expect(fabricLinks(800, [{ pool: 'a', nicGbps: 400 }]).mismatched).toEqual([{ pool: 'a', nicGbps: 400 }]);
  });
});

describe('GW-NET-LINK-SPEED', () => {
  test('NICs at the link speed on a switch of that speed pass', () => {
    expect(findings(plan('linkGbps: 400, switchRadix: 64, switchModel: qm9700'))).toEqual([]);
  });
  test('400G NICs on an 800G fabric: error, with the split radix of the switch as the fix', () => {
    const [d, ...rest] = findings(plan('linkGbps: 800, switchRadix: 64, switchModel: sn5600'));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ severity: 'error', line: 11 });
    expect(d.message).toContain("pool 'h100' (dgx-h100) has 400G NICs");
    // SN5600: 64 x 800GbE or 128 x 400GbE (catalog, NVIDIA SN5000 manual).
    expect(d.hint).toContain('linkGbps: 400 and switchRadix: 128 (each 800G port as 2 × 400G)');
  });
  test('without a catalog switch the split radix is the plan radix times the split', () => {
    const [d] = findings(plan('linkGbps: 800, switchRadix: 144'));
    expect(d.hint).toContain('switchRadix: 288');
  });
  test('NICs faster than the link: a warning, they run slower', () => {
    const [d] = findings(plan('linkGbps: 200, switchRadix: 128'));
    expect(d).toMatchObject({ severity: 'warning' });
    expect(d.message).toContain('400G NICs: they run at 200G');
  });
  test('a switch cannot run links faster than its ports', () => {
    const ds = findings(plan('linkGbps: 800, switchRadix: 64, switchModel: qm9700', 'dgx-b200'));
    expect(ds.map((d) => d.message)).toContainEqual(
      "Fabric 'ib': qm9700 ports run at 400G; they cannot carry 800G links.",
    );
  });
  test('switchRadix is bounded by the ports the switch offers at the link speed, inclusively', () => {
    // SN5600 at 400G: 128 ports. 128 passes, 129 fails.
    expect(findings(plan('linkGbps: 400, switchRadix: 128, switchModel: sn5600'))).toEqual([]);
    const [d] = findings(plan('linkGbps: 400, switchRadix: 129, switchModel: sn5600'));
    expect(d.message).toBe(
      "Fabric 'ib': sn5600 has 64 ports at 800G, 128 at 400G; switchRadix 129 asks for more.",
    );
    expect(d.hint).toBe('Set switchRadix: 128.');
  });
  test('the examples size their GB200 fabrics at the NICs’ 400G, and pass the CLI', () => {
    for (const example of ['fleet-100k.yaml', 'fleet-1m.yaml']) {
      const r = runCli(['validate', '--format', 'json', join(ROOT, 'examples', example)]);
      const ids = (JSON.parse(r.stdout) as { diagnostics: { rule: string }[] }).diagnostics.map(
        (d) => d.rule,
      );
      expect(ids).not.toContain('GW-NET-LINK-SPEED');
    }
  });
});
