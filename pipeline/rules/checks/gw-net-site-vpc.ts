import { awsLimit } from '../../catalog';
import { overlaps, secondaryCidrRestriction } from '../../model/network';
import { withinLimit } from '../../util/exact';
import type { Finding, Rule } from '../rule';
import { fabricTarget } from '../rule';

/** The fabrics of one AWS site fit in the cluster's VPC as its CIDR blocks. */
export const netSiteVpc: Rule = {
  id: 'GW-NET-SITE-VPC',
  severity: 'error',
  category: 'network',
  title:
    "The fabrics of an AWS site fit in the cluster's one VPC: CIDR blocks that AWS accepts, within quota, with one egress",
  explanation:
    "EKS node groups take subnets of the cluster's VPC only (InvalidParameterException: \"Specified subnets must belong to cluster's vpc\"), so every fabric of a site lives in one VPC: the first fabric's vpcCidr is its primary block, the others' are secondary blocks (aws_vpc_ipv4_cidr_block_association). AWS refuses blocks that overlap, blocks from another RFC 1918 range than the primary's, and a few reserved ranges (Amazon VPC user guide, IPv4 CIDR block association restrictions); a VPC holds 5 IPv4 blocks by default, 50 at most with a quota increase. The fabrics share the first fabric's route table, NAT gateway and endpoints, so they must ask for the same egress.",
  relatedIds: ['Amazon VPC IPv4 CIDR block association restrictions', 'L-83CA0A9D'],
  check(plan) {
    const out: Finding[] = [];
    const quota = awsLimit('vpcIpv4CidrBlocks');
    const max = awsLimit('vpcIpv4CidrBlocksMax');
    for (const site of plan.sites.filter((s) => s.provider === 'aws')) {
      const [host, ...others] = site.vpcFabrics;
      if (!host || !others.length) continue;
      const primary = host.spec.vpcCidr!;
      const blocks = site.vpcFabrics.length;
      if (!withinLimit(blocks, quota)) {
        const last = site.vpcFabrics[site.vpcFabrics.length - 1];
        out.push({
          path: ['fabrics', last.index, 'vpcCidr'],
          target: fabricTarget(last.name),
          severity: withinLimit(blocks, max) ? 'warning' : undefined,
          message: withinLimit(blocks, max)
            ? `Site '${site.name}': its ${blocks} fabrics make ${blocks} IPv4 CIDR blocks in the cluster's VPC, above the default quota of ${quota}.`
            : `Site '${site.name}': its ${blocks} fabrics make ${blocks} IPv4 CIDR blocks in the cluster's VPC; a VPC holds at most ${max}.`,
          hint: withinLimit(blocks, max)
            ? `Request an increase of "IPv4 CIDR blocks per VPC" (L-83CA0A9D) to ${blocks} before applying.`
            : 'Merge fabrics (one fabric can carry several pools), or split the site.',
        });
      }
      for (const [i, f] of others.entries()) {
        const cidr = f.spec.vpcCidr!;
        const target = fabricTarget(f.name);
        const clash = site.vpcFabrics.slice(0, i + 1).find((g) => overlaps(g.spec.vpcCidr!, cidr));
        if (clash)
          out.push({
            path: ['fabrics', f.index, 'vpcCidr'],
            target,
            message: `Fabric '${f.name}': vpcCidr ${cidr} overlaps ${clash.spec.vpcCidr} of fabric '${clash.name}'; both are blocks of site '${site.name}''s one VPC.`,
            hint: 'Give each fabric of the site its own, disjoint vpcCidr.',
          });
        const why = clash ? undefined : secondaryCidrRestriction(primary, cidr);
        if (why)
          out.push({
            path: ['fabrics', f.index, 'vpcCidr'],
            target,
            message: `Fabric '${f.name}': AWS cannot add ${cidr} to the VPC of fabric '${host.name}' (${primary}): ${why}.`,
            hint: `Pick a vpcCidr in the same private range as ${primary}.`,
          });
        const egress = f.spec.egress ?? 'nat';
        const hostEgress = host.spec.egress ?? 'nat';
        if (egress !== hostEgress)
          out.push({
            path: ['fabrics', f.index, 'egress'],
            target,
            message: `Fabric '${f.name}' asks for egress: ${egress}, but it shares the route table of fabric '${host.name}' (egress: ${hostEgress}) in site '${site.name}''s one VPC.`,
            hint: `Set egress: ${hostEgress} on every fabric of the site.`,
          });
      }
    }
    return out;
  },
};
