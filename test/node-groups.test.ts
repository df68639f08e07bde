/** One node-group formula (pipeline/model/node-groups.ts) for the rule, the stacks and the reports. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeGroupSizes } from '../pipeline/model/node-groups';
import { runCli, tempDir } from './helpers';

describe('node-group sizes', () => {
  test.each([
    [900, [4], [448, 448, 4]],
    [900, undefined, [450, 450]],
    [18, [9, 18], [18]],
    [450, [9, 18], [450]],
    [1, undefined, [1]],
  ])('%p nodes, UltraServers of %p → %p', (nodes, sizes, groups) => {
    expect(nodeGroupSizes({ nodes, maxNodes: nodes, ultraServerSizes: sizes })).toEqual(groups);
  });

  test("groups are sized for the largest size; today's nodes fill them in order", () => {
    expect(nodeGroupSizes({ nodes: 100, maxNodes: 900, ultraServerSizes: undefined })).toEqual([100, 0]);
    expect(nodeGroupSizes({ nodes: 0, maxNodes: 16, ultraServerSizes: [4] })).toEqual([0]);
  });

  test('GW-CAP-EKS counts the groups the stacks create: 13,500 × trn2u is 31 groups of whole UltraServers', () => {
    const file = join(tempDir('gigawatt-ng-'), 'plan.yaml');
    writeFileSync(
      file,
      `apiVersion: gigawatt/v1alpha1
kind: ClusterPlan
metadata: { name: ng }
sites: [ { name: oh, provider: aws, region: us-east-2 } ]
fabrics: [ { name: f, site: oh, vpcCidr: 10.0.0.0/16, availabilityZone: us-east-2b } ]
pools: [ { name: t, site: oh, fabric: f, instanceType: trn2u.48xlarge, instances: 13500 } ]
`,
    );
    const r = runCli(['validate', '--format', 'json', file]);
    const eks = (JSON.parse(r.stdout) as { diagnostics: { rule: string; message: string }[] }).diagnostics
      .filter((d) => d.rule === 'GW-CAP-EKS')
      .map((d) => d.message);
    // ceil(13,500 / 450) = 30 would pass; groups of 448 (112 UltraServers) need 31.
    expect(eks).toEqual([
      "Site 'oh': its pools need 31 managed node groups (t 31); the default EKS quota is 30 per cluster.",
    ]);
  });
});
