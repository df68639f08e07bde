import { eksImageRegistry } from '../../catalog';
import { poolImages, registryOf } from '../../model/images';
import type { Finding, Rule } from '../rule';
import { fabricTarget } from '../rule';

/** Every image the nodes of a fabric run can be pulled from that fabric's network. */
export const netImagePull: Rule = {
  id: 'GW-NET-IMAGE-PULL',
  severity: 'error',
  category: 'network',
  title: 'Every image the nodes run can be pulled from their VPC',
  explanation:
    'The device plugins advertise the accelerators and EFA devices to Kubernetes; a node that cannot pull a plugin image never offers a GPU, Neuron core or EFA device, and no job is scheduled on it; the health DaemonSets (DCGM exporter, Neuron monitor, node problem detector) and the smoke-test Jobs pull their images on the same nodes. With `egress: nat` (the default) nodes reach every registry through the NAT gateway. With `egress: none` the VPC has endpoints only (ecr.api, ecr.dkr, S3), which serve ECR in the cluster region alone: nvcr.io, public.ecr.aws and registry.k8s.io are out of reach (terraform-aws-eks-blueprints, patterns/fully-private-cluster). The EFA plugin comes from the EKS registry of the region, which the EKS user guide lists per region.',
  check(plan) {
    const out: Finding[] = [];
    for (const f of plan.fabrics) {
      const region = f.site?.provider === 'aws' ? f.site.spec.region : undefined;
      if (!region || !f.spec.vpcCidr) continue;
      const pools = f.pools.filter((p) => p.kind === 'ec2');
      const images = poolImages(pools);
      if (pools.some((p) => p.efa) && !eksImageRegistry(region))
        out.push({
          path: ['fabrics', f.index],
          target: fabricTarget(f.name),
          message: `Fabric '${f.name}': the EKS user guide lists no image registry for region ${region}, so the EFA device plugin image has no source there.`,
          hint: 'Use a region the EKS image-registry list includes, or set efa: false on the pools.',
        });
      if ((f.spec.egress ?? 'nat') === 'nat') continue;
      const reachable = eksImageRegistry(region);
      const blocked = images.filter((i) => registryOf(i.image) !== reachable);
      if (blocked.length)
        out.push({
          path: ['fabrics', f.index, 'egress'],
          target: fabricTarget(f.name),
          message: `Fabric '${f.name}' has egress: none, so its nodes reach only ECR in ${region} (${reachable ?? 'none listed'}), but they must pull ${blocked.map((i) => `${i.image} (pools ${i.pools.map((p) => p.name).join(', ')})`).join('; ')}.`,
          hint: 'Set egress: nat on the fabric, or mirror the images into ECR in the region (e.g. an ECR pull-through cache rule) before turning egress off.',
        });
    }
    return out;
  },
};
