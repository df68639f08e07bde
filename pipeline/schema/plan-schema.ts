/**
 * The ClusterPlan v1alpha1 JSON Schema (draft 2020-12): the contract of the plan format.
 *
 * This object is the single source of truth. `schemas/cluster-plan.v1alpha1.schema.json` is written from
 * it (`npm run schemas`) for editors, and the TypeScript types below are derived from it, so the three
 * cannot drift apart (test/schema.test.ts checks the file).
 */
import type { FromSchema } from 'json-schema-to-ts';

export const PLAN_SCHEMA_ID = 'https://gigawatt.dev/schemas/cluster-plan.v1alpha1.schema.json';

const name = {
  type: 'string',
  pattern: '^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$',
  description:
    'Lower-case DNS label (1-40 characters: a-z, 0-9, -). Names become Terraform addresses and Kubernetes object names, so renaming one replaces infrastructure.',
} as const;

/**
 * An IPv4 CIDR with the prefix lengths `prefix` admits, in dotted decimal without leading zeros: the AWS
 * provider refuses them at terraform validate (hashicorp/aws 5.100.0: "invalid CIDR address: 10.01.0.0/16",
 * Go's net.ParseCIDR since Go 1.17), and ipaddr.js reads an octet `0N` as octal and throws on `08` and
 * `09`, which crashed the CIDR rules and `diff`.
 */
const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
// Typed as the literal pattern, so the exported schema type (and docs/api) still spells it out.
const cidrPattern = <P extends string>(prefix: P) =>
  `^${OCTET}(\\.${OCTET}){3}/${prefix}$` as `^${typeof OCTET}(\\.${typeof OCTET}){3}/${P}$`;

const cidr = {
  type: 'string',
  pattern: cidrPattern('([0-9]|[12][0-9]|3[0-2])'),
  description: 'IPv4 CIDR block, e.g. 10.64.0.0/16 (dotted decimal, no leading zeros)',
} as const;

const count = { type: 'integer', minimum: 1, maximum: 10000000 } as const;

const vcpuQuotas = {
  type: 'object',
  description: 'vCPU quotas per EC2 instance family (P, G, Trn, Inf) in this region.',
  additionalProperties: false,
  properties: {
    P: {
      type: 'integer',
      minimum: 0,
      examples: [20000, 400000],
      description: 'vCPUs of P instances (NVIDIA GPU training: p4d, p5, p5e, p5en, p6) the quota allows.',
    },
    G: {
      type: 'integer',
      minimum: 0,
      examples: [3072],
      description: 'vCPUs of G instances (NVIDIA GPU inference and graphics: g5, g6, g6e) the quota allows.',
    },
    Trn: {
      type: 'integer',
      minimum: 0,
      examples: [3072, 12288],
      description: 'vCPUs of Trn instances (AWS Trainium: trn1, trn2, trn2u) the quota allows.',
    },
    Inf: {
      type: 'integer',
      minimum: 0,
      examples: [3072],
      description: 'vCPUs of Inf instances (AWS Inferentia: inf2) the quota allows.',
    },
  },
} as const;

/** A calendar date or a UTC instant: 2027-03-01 or 2027-03-01T11:30:00Z. */
const when = {
  type: 'string',
  anyOf: [{ format: 'date' }, { format: 'date-time' }],
  examples: ['2027-04-05', '2027-01-04T11:30:00Z'],
  description: 'A date (2027-03-01, midnight UTC) or an instant (2027-03-01T11:30:00Z).',
} as const;

/** Counts in a timeline phase may be 0: not delivered yet, or decommissioned. */
const phaseCount = { type: 'integer', minimum: 0, maximum: 10000000 } as const;

const timeline = {
  type: 'array',
  description:
    'Dated phases of the build-out. From its date on, a phase sets the fields it names on the named sites, halls and pools; fields it does not name keep their value. The plan is validated at every phase date (and where a Capacity Block opens or closes). Names never change over time, so addresses stay stable; only sizes do.',
  maxItems: 1000,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['date'],
    properties: {
      date: when,
      description: {
        type: 'string',
        maxLength: 500,
        examples: ['Hall B commissioned, B200 delivery'],
        description: 'What happens at this phase, in words (e.g. "hall B commissioned").',
      },
      sites: {
        type: 'array',
        maxItems: 200,
        description: 'Sites whose quotas, power or halls change from this date, by name.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: { ...name, examples: ['west-texas'] },
            quotas: {
              ...vcpuQuotas,
              description: 'On-Demand vCPU quotas from this date (e.g. an increase granted).',
            },
            spotQuotas: { ...vcpuQuotas, description: 'Spot vCPU quotas from this date.' },
            power: {
              type: 'object',
              additionalProperties: false,
              description: 'Power of the site from this date (a feed energised, a new PUE target).',
              properties: {
                utilityMW: {
                  type: 'number',
                  exclusiveMinimum: 0,
                  maximum: 100000,
                  examples: [40, 150],
                  description: 'Utility power delivered to the site from this date (MW).',
                },
                redundancy: {
                  enum: ['N', 'N+1', '2N'],
                  description: 'Power redundancy from this date: N, N+1 (one feed spare) or 2N (half spare).',
                },
                feeds: {
                  type: 'integer',
                  minimum: 1,
                  maximum: 64,
                  examples: [1, 3],
                  description: 'Number of equal utility feeds from this date (used by N+1).',
                },
                pue: {
                  type: 'number',
                  minimum: 1,
                  maximum: 3,
                  examples: [1.2, 1.3],
                  description: 'Power usage effectiveness (facility power / IT power) from this date.',
                },
              },
            },
            halls: {
              type: 'array',
              maxItems: 500,
              description: 'Halls whose racks, rack power or feed change from this date, by name.',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['name'],
                properties: {
                  name: { ...name, examples: ['hall-b', 'hall-c'] },
                  racks: {
                    type: 'integer',
                    minimum: 0,
                    maximum: 1000000,
                    examples: [0, 160, 240],
                    description: 'Racks commissioned from this date (0: not commissioned yet).',
                  },
                  rackKW: {
                    type: 'number',
                    exclusiveMinimum: 0,
                    maximum: 2000,
                    examples: [60, 132],
                    description: 'Power limit per rack from this date (kW).',
                  },
                  feedMW: {
                    type: 'number',
                    exclusiveMinimum: 0,
                    maximum: 10000,
                    examples: [50],
                    description: 'Usable power of the feed that supplies the hall from this date (MW).',
                  },
                },
              },
            },
          },
        },
      },
      pools: {
        type: 'array',
        maxItems: 20000,
        description: 'Pools whose size changes from this date, by name.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: { ...name, examples: ['h200', 'gb200'] },
            instances: {
              ...phaseCount,
              examples: [0, 128],
              description: 'EC2 instances from this date (0: none yet, or released).',
            },
            nodes: {
              ...phaseCount,
              examples: [0, 512, 1024],
              description: 'On-prem systems installed from this date (0: not delivered yet).',
            },
          },
        },
      },
    },
  },
} as const;

export const planSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: PLAN_SCHEMA_ID,
  title: 'gigawatt ClusterPlan v1alpha1',
  description:
    'Accelerator pools, network fabrics and power envelopes of one fleet, validated before deployment.',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'sites', 'pools'],
  properties: {
    $schema: {
      type: 'string',
      examples: [PLAN_SCHEMA_ID, '../schemas/cluster-plan.v1alpha1.schema.json'],
      description:
        'URL or path of this JSON Schema, for editors (yaml-language-server); gigawatt ignores it.',
    },
    apiVersion: { const: 'gigawatt/v1alpha1', description: 'Version of the plan format: gigawatt/v1alpha1.' },
    kind: { const: 'ClusterPlan', description: 'Kind of document: always ClusterPlan.' },
    metadata: {
      type: 'object',
      description: 'Name and owner of the plan.',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: {
          ...name,
          examples: ['frontier', 'fleet-10k'],
          description:
            'Name of the plan (a lower-case DNS label). It is part of every Terraform state key, so renaming a deployed plan points it at new, empty state.',
        },
        description: {
          type: 'string',
          maxLength: 500,
          examples: ['Trainium2 UltraServers on AWS plus a 2,048-node DGX H200 site'],
          description: 'What the plan is for, in words.',
        },
        owner: {
          type: 'string',
          maxLength: 200,
          examples: ['ml-platform@example.com'],
          description: 'Team or person responsible for the plan.',
        },
      },
    },
    schedule: {
      type: 'object',
      description: 'When the fleet must run. Capacity Block windows must cover it.',
      additionalProperties: false,
      required: ['start', 'end'],
      properties: {
        start: {
          type: 'string',
          format: 'date-time',
          examples: ['2027-01-04T11:30:00Z'],
          description: 'When the fleet must be running (UTC), e.g. 2027-03-01T11:30:00Z.',
        },
        end: {
          type: 'string',
          format: 'date-time',
          examples: ['2027-01-18T11:30:00Z'],
          description: 'Until when the fleet must run (UTC).',
        },
      },
    },
    sites: {
      type: 'array',
      minItems: 1,
      maxItems: 200,
      description: 'Where the pools run: AWS regions and on-prem sites, each named once.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'provider'],
        properties: {
          name: { ...name, examples: ['ohio', 'abilene'] },
          provider: {
            enum: ['aws', 'onprem'],
            description: 'aws: an AWS region (AWS owns the building); onprem: your own or a colocation site.',
          },
          region: {
            type: 'string',
            pattern: '^[a-z]{2}(-gov)?-[a-z]+-[0-9]$',
            examples: ['us-east-2', 'us-east-1'],
            description: 'AWS region, e.g. us-east-2',
          },
          quotas: {
            ...vcpuQuotas,
            description: 'Running On-Demand vCPU quotas per instance family in this region.',
          },
          spotQuotas: { ...vcpuQuotas, description: 'Spot vCPU quotas per instance family in this region.' },
          power: {
            type: 'object',
            description:
              'Power envelope of an on-prem site: the IT load × PUE must fit the utility power left after redundancy (GW-PWR-ENVELOPE).',
            additionalProperties: false,
            required: ['utilityMW', 'pue'],
            properties: {
              utilityMW: {
                type: 'number',
                exclusiveMinimum: 0,
                maximum: 100000,
                examples: [200, 300],
                description: 'Utility power delivered to the site (MW).',
              },
              redundancy: {
                enum: ['N', 'N+1', '2N'],
                default: 'N',
                description: 'Power redundancy: N uses every feed, N+1 keeps one feed spare, 2N keeps half.',
              },
              feeds: {
                type: 'integer',
                minimum: 1,
                maximum: 64,
                default: 2,
                examples: [2, 3],
                description: 'Number of equal utility feeds (used by N+1).',
              },
              pue: {
                type: 'number',
                minimum: 1,
                maximum: 3,
                examples: [1.2, 1.25],
                description: 'Power usage effectiveness: facility power / IT power.',
              },
            },
          },
          halls: {
            type: 'array',
            maxItems: 500,
            description:
              'Data halls of an on-prem site: racks, power per rack and cooling. Pools are placed in racks of their hall (GW-PWR-RACKS).',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['name', 'racks', 'rackKW', 'cooling'],
              properties: {
                name: { ...name, examples: ['hall-a', 'hall-b'] },
                racks: {
                  type: 'integer',
                  minimum: 1,
                  maximum: 1000000,
                  examples: [200, 800],
                  description: 'Racks in the hall.',
                },
                rackKW: {
                  type: 'number',
                  exclusiveMinimum: 0,
                  maximum: 2000,
                  examples: [45, 132],
                  description: 'Power limit per rack (kW).',
                },
                cooling: {
                  enum: ['air', 'liquid', 'hybrid'],
                  description:
                    'How the hall removes heat. Liquid-cooled systems (e.g. gb200-nvl72) need a liquid or hybrid hall; air halls with dense racks are noted (GW-PWR-AIR-DENSITY).',
                },
                rackUnits: {
                  type: 'integer',
                  minimum: 1,
                  maximum: 60,
                  default: 42,
                  examples: [42, 48],
                  description: 'Usable rack units per rack.',
                },
                feed: {
                  type: 'string',
                  maxLength: 64,
                  examples: ['feed-a', 'feed-1'],
                  description: 'Power feed that supplies this hall (for the inventory).',
                },
                feedMW: {
                  type: 'number',
                  exclusiveMinimum: 0,
                  maximum: 10000,
                  examples: [50],
                  description:
                    'Usable power of the feed that supplies this hall (MW); the hall’s IT load × PUE must fit it.',
                },
              },
            },
          },
          hybrid: {
            type: 'object',
            description: 'Join this on-prem site to an EKS cluster as EKS Hybrid Nodes.',
            additionalProperties: false,
            required: ['cluster', 'remoteNodeCidrs'],
            properties: {
              cluster: {
                ...name,
                examples: ['ohio'],
                description: 'Name of the AWS site whose EKS cluster the nodes join.',
              },
              remoteNodeCidrs: {
                type: 'array',
                minItems: 1,
                maxItems: 15,
                items: cidr,
                examples: [['192.168.0.0/22']],
                description:
                  'On-prem CIDRs of the hybrid nodes (the EKS remote node networks); they must not overlap the VPC or service CIDRs.',
              },
              remotePodCidrs: {
                type: 'array',
                maxItems: 15,
                items: cidr,
                examples: [['192.168.64.0/18']],
                description: 'On-prem CIDRs of the pods on the hybrid nodes (the EKS remote pod networks).',
              },
              gatewayId: {
                type: 'string',
                pattern: '^(tgw|vgw)-[0-9a-f]{8,17}$',
                examples: ['tgw-0123456789abcdef0'],
                description:
                  'Transit or virtual private gateway to the on-prem network: the fabrics of the cluster route the remote node and pod CIDRs to it.',
              },
            },
          },
        },
      },
    },
    fabrics: {
      type: 'array',
      maxItems: 1000,
      description:
        'Networks: on an AWS site a VPC with the EFA node subnet; on-prem, the compute fabric (links, switches) sized for its pools.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'site'],
        properties: {
          name: { ...name, examples: ['ohio-trn', 'ohio-gpu'] },
          site: { ...name, examples: ['ohio', 'abilene'], description: 'Name of the site the fabric is in.' },
          vpcCidr: {
            ...cidr,
            pattern: cidrPattern('(1[6-9]|2[0-4])'),
            examples: ['10.10.0.0/16', '10.64.0.0/16'],
            description:
              'VPC CIDR block, /16 to /24, e.g. 10.64.0.0/16. The node subnet takes up to the first half; the second half holds the control-plane, system-node and NAT subnets (112 addresses at its end).',
          },
          availabilityZone: {
            type: 'string',
            pattern: '^[a-z]{2}(-gov)?-[a-z]+-[0-9]([a-z]|-[a-z]+-[0-9][a-z])$',
            examples: ['us-east-2b', 'us-east-1-dfw-2a'],
            description: 'AZ of the EFA subnet, e.g. us-east-2b or the Local Zone us-east-1-dfw-2a',
          },
          subnetPrefixLength: {
            type: 'integer',
            minimum: 16,
            maximum: 28,
            examples: [22, 24],
            description:
              'Prefix length of the node subnet. Default: the smallest subnet that fits the pools.',
          },
          egress: {
            enum: ['nat', 'none'],
            default: 'nat',
            description:
              'Outbound internet for the nodes. nat: a NAT gateway in a small public subnet, so nodes pull images from nvcr.io and public.ecr.aws; none: VPC endpoints only, so every image must come from ECR in the region (GW-NET-IMAGE-PULL checks it).',
          },
          prefixDelegation: {
            type: 'boolean',
            default: false,
            examples: [true],
            description: 'VPC CNI prefix delegation: pods draw /28 prefixes instead of secondary IPs.',
          },
          maxPodsPerNode: {
            type: 'integer',
            minimum: 1,
            maximum: 1000,
            examples: [16],
            description:
              'Kubelet max pods on the fabric’s nodes (set through nodeadm). Default: the VPC CNI maximum of the type. Accelerator nodes run few pods; a low value saves VPC addresses.',
          },
          securityGroups: {
            type: 'array',
            description:
              'Extra security groups attached to the EFA interfaces (the fabric always creates its own EFA group).',
            maxItems: 5,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['name'],
              properties: {
                name: { ...name, examples: ['extra'] },
                selfIngressAllTraffic: {
                  type: 'boolean',
                  default: false,
                  examples: [true],
                  description:
                    'Allow all traffic from members of this group. EFA needs it on every group of its interfaces (GW-NET-EFA).',
                },
                selfEgressAllTraffic: {
                  type: 'boolean',
                  default: false,
                  examples: [true],
                  description:
                    'Allow all traffic to members of this group (0.0.0.0/0 egress does not cover EFA; GW-NET-EFA).',
                },
                ingressCidrs: {
                  type: 'array',
                  items: cidr,
                  maxItems: 50,
                  examples: [['192.168.0.0/16']],
                  description:
                    'CIDRs allowed in, all protocols and ports. 0.0.0.0/0 is flagged (GW-SEC-OPEN-INGRESS).',
                },
              },
            },
          },
          topology: { enum: ['rail-optimized-fat-tree'], description: 'On-prem compute fabric topology.' },
          linkGbps: { enum: [100, 200, 400, 800, 1600], description: 'Node-to-leaf link speed (Gbps).' },
          switchRadix: {
            type: 'integer',
            minimum: 4,
            maximum: 1024,
            examples: [64, 288],
            description: 'Ports per switch at linkGbps.',
          },
          oversubscription: {
            type: 'number',
            minimum: 1,
            maximum: 16,
            default: 1,
            examples: [1],
            description: 'Leaf downlink:uplink ratio asked for (1 = non-blocking).',
          },
          switchModel: {
            type: 'string',
            maxLength: 64,
            examples: ['qm9700', 'q3400-ra'],
            description: 'Catalog switch id, e.g. qm9700.',
          },
          switchKW: {
            type: 'number',
            exclusiveMinimum: 0,
            maximum: 50,
            description: 'Power per switch (kW), including its optics, when the catalog has none.',
          },
        },
      },
    },
    reservations: {
      type: 'array',
      maxItems: 5000,
      description:
        'Capacity Blocks and On-Demand Capacity Reservations, each once, that pools draw from by id (pools[].capacity.reservationId). Several pools may share one reservation; sizes and limits are counted per reservation.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'site', 'type', 'instanceType', 'instances'],
        properties: {
          id: {
            type: 'string',
            pattern: '^cr-[0-9a-f]{8,17}$',
            examples: ['cr-0a1b2c3d4e5f60001'],
            description: 'Reservation id (cr-...), as EC2 reports it.',
          },
          site: { ...name, examples: ['ohio'], description: 'AWS site (region) the reservation is in.' },
          type: {
            enum: ['capacity-block', 'odcr'],
            description: 'capacity-block: EC2 Capacity Block for ML; odcr: On-Demand Capacity Reservation.',
          },
          instanceType: {
            type: 'string',
            maxLength: 64,
            examples: ['trn2u.48xlarge'],
            description: 'Instance type reserved.',
          },
          instances: { ...count, examples: [16, 64], description: 'Instances reserved.' },
          availabilityZone: {
            type: 'string',
            pattern: '^[a-z]{2}(-gov)?-[a-z]+-[0-9]([a-z]|-[a-z]+-[0-9][a-z])$',
            examples: ['us-east-2b'],
            description: 'AZ (or Local Zone) of the reservation, e.g. us-east-2b.',
          },
          placementGroup: {
            type: 'string',
            pattern: '^[A-Za-z0-9._-]{1,255}$',
            examples: ['p5-odcr-pg'],
            description:
              'odcr: the cluster placement group the reservation was created in. EC2 places reserved instances only in that group, so pools on the reservation launch into it (and gigawatt creates none).',
          },
          start: {
            type: 'string',
            format: 'date-time',
            examples: ['2027-01-04T11:30:00Z'],
            description: 'Start of the window (UTC).',
          },
          end: {
            type: 'string',
            format: 'date-time',
            examples: ['2027-01-18T11:30:00Z'],
            description: 'End of the window (UTC); Capacity Blocks end at 11:30 UTC.',
          },
        },
      },
    },
    pools: {
      type: 'array',
      minItems: 1,
      maxItems: 20000,
      description:
        'Accelerator pools: EC2 instances of one type on an AWS site, or on-prem systems of one model.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'site'],
        properties: {
          name: { ...name, examples: ['trn2-ultra', 'h200'] },
          site: { ...name, examples: ['ohio', 'abilene'], description: 'Name of the site the pool runs in.' },
          fabric: {
            ...name,
            examples: ['ohio-trn'],
            description:
              "Name of the fabric the pool's nodes attach to (its subnet on AWS, its switches on-prem). An EFA pool must name one (GW-NET-EFA).",
          },
          instanceType: {
            type: 'string',
            maxLength: 64,
            examples: ['trn2u.48xlarge', 'p5en.48xlarge'],
            description: 'EC2 instance type (AWS sites).',
          },
          system: {
            type: 'string',
            maxLength: 64,
            examples: ['dgx-h200', 'gb200-nvl72'],
            description: 'On-prem system from the catalog, e.g. dgx-h200 or gb200-nvl72.',
          },
          instances: { ...count, examples: [128, 1024], description: 'Number of EC2 instances.' },
          maxInstances: {
            ...count,
            examples: [64],
            description:
              'Largest number of EC2 instances the pool may grow to. The node subnet is sized for it, so scaling up to it changes only node-group sizes and never replaces the subnet (and with it every node). Default: instances.',
          },
          nodes: {
            ...count,
            examples: [48, 512],
            description: 'Number of on-prem systems (a GB200 NVL72 rack is one node).',
          },
          stack: {
            enum: ['site', 'own'],
            default: 'site',
            description:
              "Terraform stack of the pool's launch template and node groups: site keeps them in the site's stack; own gives the pool a stack of its own (<site>-<pool>, reading the cluster and subnets through remote state). Changing it moves the pool's resources between states, which recreates its nodes; gigawatt never moves a pool by itself.",
          },
          capacity: {
            type: 'object',
            description: 'How the pool gets its EC2 capacity. Default: on-demand.',
            additionalProperties: false,
            required: ['type'],
            properties: {
              type: {
                enum: ['on-demand', 'spot', 'capacity-block', 'odcr'],
                description:
                  'on-demand; spot; capacity-block: an EC2 Capacity Block for ML (a fixed window); odcr: an On-Demand Capacity Reservation (both drawn from by reservationId).',
              },
              reservationId: {
                type: 'string',
                pattern: '^cr-[0-9a-f]{8,17}$',
                examples: ['cr-0a1b2c3d4e5f60001'],
                description:
                  'The reservation the pool draws from: the id of an entry of reservations[] (or, older plans, of a reservation described inline below).',
              },
              instanceType: {
                type: 'string',
                maxLength: 64,
                examples: ['trn2u.48xlarge'],
                description:
                  'Deprecated inline reservation field: use reservations[].instanceType. Instance type of the reservation (default: the pool type).',
              },
              availabilityZone: {
                type: 'string',
                maxLength: 40,
                examples: ['us-east-2b'],
                description: 'Deprecated inline reservation field: use reservations[].availabilityZone.',
              },
              instances: {
                ...count,
                examples: [64],
                description:
                  'Deprecated inline reservation field: use reservations[].instances. Instances reserved.',
              },
              minSize: {
                type: 'integer',
                minimum: 0,
                examples: [0],
                description:
                  'Not applied: node groups are sized from instances. On a Capacity Block, whose node group the window scales from 0, it draws a warning (GW-CAP-BLOCK).',
              },
              start: {
                type: 'string',
                format: 'date-time',
                examples: ['2027-01-04T11:30:00Z'],
                description: 'Deprecated inline reservation field: use reservations[].start.',
              },
              end: {
                type: 'string',
                format: 'date-time',
                examples: ['2027-01-18T11:30:00Z'],
                description: 'Deprecated inline reservation field: use reservations[].end.',
              },
            },
          },
          efa: {
            type: 'boolean',
            examples: [true],
            description: 'Attach EFA interfaces. Default: true when the type supports EFA.',
          },
          placementGroup: {
            type: 'boolean',
            examples: [true],
            description: 'Cluster placement group. Default: true for EFA pools not on a Capacity Block.',
          },
          hall: {
            ...name,
            examples: ['hall-a'],
            description:
              "On-prem: name of the hall the pool's systems are placed in. Default: the first hall whose cooling suits the system.",
          },
          rackUnitsPerNode: {
            type: 'integer',
            minimum: 1,
            maximum: 60,
            examples: [8, 10],
            description:
              'Rack units per node; replaces the catalog figure (needed where the catalog has none).',
          },
          maxSystemKW: {
            type: 'number',
            exclusiveMinimum: 0,
            maximum: 500,
            examples: [10.2, 14.3],
            description: 'Measured or vendor power per node (kW); replaces the catalog figure.',
          },
          labels: {
            type: 'object',
            examples: [{ team: 'finetune' }],
            description:
              'Node labels set on every node of the pool. Keys and values must be valid Kubernetes labels outside the kubernetes.io, k8s.io and gigawatt.dev domains; rule GW-PLAN-LABELS checks them with the exact Kubernetes limits and says what is wrong.',
            maxProperties: 20,
            propertyNames: { minLength: 1, maxLength: 1000 },
            additionalProperties: { type: 'string', maxLength: 1000 },
          },
        },
      },
    },
    kubernetes: {
      type: 'object',
      description:
        'The EKS cluster of each AWS site: version, API endpoint, system nodes, admins and Kueue queues.',
      additionalProperties: false,
      properties: {
        version: {
          type: 'string',
          pattern: '^1\\.[0-9]{2}$',
          examples: ['1.33', '1.34'],
          description: 'EKS Kubernetes version, e.g. 1.33 (the default); the add-on versions follow it.',
        },
        endpoint: {
          enum: ['private', 'public'],
          default: 'private',
          description:
            'Access to the Kubernetes API: private (from the VPC only) or public (from publicAccessCidrs; GW-SEC-EKS-PUBLIC).',
        },
        publicAccessCidrs: {
          type: 'array',
          items: cidr,
          maxItems: 40,
          examples: [['203.0.113.0/24']],
          description:
            'CIDRs that may reach a public endpoint. A public endpoint needs them, and 0.0.0.0/0 is flagged (GW-SEC-EKS-PUBLIC).',
        },
        serviceCidr: {
          ...cidr,
          examples: ['172.20.0.0/16'],
          description: 'CIDR of Kubernetes services. Default: 172.20.0.0/16.',
        },
        systemNodes: {
          type: 'object',
          description:
            'The untainted CPU node group every cluster gets, for CoreDNS, Kueue and operators (accelerator nodes are tainted).',
          additionalProperties: false,
          properties: {
            instanceTypes: {
              type: 'array',
              minItems: 1,
              maxItems: 10,
              items: { type: 'string', pattern: '^[a-z][a-z0-9-]*\\.[a-z0-9]+$' },
              default: ['m7i.xlarge', 'm7a.xlarge'],
              examples: [['m7i.xlarge', 'm7a.xlarge']],
              description: 'EC2 types of the system nodes.',
            },
            count: {
              type: 'integer',
              minimum: 1,
              maximum: 50,
              default: 2,
              examples: [2, 3],
              description: 'System nodes (spread over the two control-plane zones).',
            },
          },
        },
        admins: {
          type: 'array',
          maxItems: 20,
          examples: [['arn:aws:iam::111122223333:role/platform-admin']],
          description:
            'IAM roles or users given cluster admin (EKS access entry with AmazonEKSClusterAdminPolicy). The identity that runs terraform apply is admin as well.',
          items: {
            type: 'string',
            pattern: '^arn:aws(-[a-z]+)*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_/-]{1,512}$',
          },
        },
        queues: {
          type: 'object',
          description:
            'Kueue: one ClusterQueue per pool, all in one cohort, open to the namespaces of the teams that may use the pool.',
          additionalProperties: false,
          properties: {
            cohort: {
              ...name,
              examples: ['fleet', 'research'],
              description: 'Kueue cohort of the pool ClusterQueues (they lend and borrow within it).',
            },
            teams: {
              type: 'array',
              maxItems: 200,
              description: 'Teams, each with a namespace holding one LocalQueue per pool it may use.',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['name'],
                properties: {
                  name: { ...name, examples: ['pretraining', 'inference'] },
                  namespace: {
                    ...name,
                    examples: ['pretraining'],
                    description:
                      "Namespace of the team's LocalQueues (one per pool it may use). Default: the team name.",
                  },
                  pools: {
                    type: 'array',
                    items: name,
                    examples: [['h200'], ['b200', 'gb200']],
                    description: 'Pools the team may use, by name. Default: every pool.',
                  },
                },
              },
            },
          },
        },
      },
    },
    backend: {
      type: 'object',
      description: 'Terraform state backend for synthesized stacks.',
      additionalProperties: false,
      required: ['bucket', 'region'],
      properties: {
        bucket: {
          type: 'string',
          pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
          examples: ['example-gigawatt-state'],
          description: 'S3 bucket that holds the Terraform state.',
        },
        region: {
          type: 'string',
          pattern: '^[a-z]{2}(-gov)?-[a-z]+-[0-9]$',
          examples: ['us-east-1'],
          description: 'AWS region of the bucket, e.g. us-east-1.',
        },
        keyPrefix: {
          type: 'string',
          maxLength: 200,
          default: 'gigawatt',
          examples: ['gigawatt'],
          description: 'Prefix of the state keys: <keyPrefix>/<plan>/<stack>.tfstate.',
        },
        locking: {
          type: 'boolean',
          default: true,
          examples: [true],
          description: 'S3 native state locking (use_lockfile), so two applies cannot write one state.',
        },
      },
    },
    timeline,
    waivers: {
      type: 'array',
      maxItems: 1000,
      description:
        'Findings accepted for a time: each names a rule, the target it covers, a reason and an expiry date.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['rule', 'target', 'reason', 'expires'],
        properties: {
          rule: {
            type: 'string',
            pattern: '^GW-[A-Z0-9]+(-[A-Z0-9]+)*$',
            examples: ['GW-PWR-ENVELOPE', 'GW-PWR-ESTIMATE'],
            description:
              'Id of the rule whose finding is accepted, e.g. GW-PWR-ESTIMATE (gigawatt rules lists them).',
          },
          target: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
            examples: ['sites.west-texas', 'pools.h200'],
            description:
              'Target of the finding the waiver covers, exactly as the finding names it (e.g. sites.abilene or pools.h200): a waiver for pools does not cover pools.h200.',
          },
          reason: {
            type: 'string',
            minLength: 10,
            maxLength: 1000,
            examples: [
              'The second GB200 delivery stays powered off (64 racks dark) until feeds 2 and 3 are energised on 2028-05-01.',
            ],
            description: 'Why the finding is accepted (at least 10 characters); shown with the finding.',
          },
          expires: {
            type: 'string',
            format: 'date',
            examples: ['2028-05-01'],
            description:
              'Date the waiver stops applying; after it the finding counts again (GW-WAIVER-EXPIRED).',
          },
          from: {
            type: 'string',
            format: 'date',
            examples: ['2028-03-06'],
            description: 'With a timeline: the waiver covers findings from this plan date on.',
          },
          until: {
            type: 'string',
            format: 'date',
            examples: ['2028-04-30'],
            description: 'With a timeline: the waiver covers findings up to this plan date (inclusive).',
          },
        },
      },
    },
  },
} as const;

export type ClusterPlan = FromSchema<typeof planSchema, { keepDefaultedPropertiesOptional: true }>;
export type SiteSpec = ClusterPlan['sites'][number];
export type HallSpec = NonNullable<SiteSpec['halls']>[number];
export type FabricSpec = NonNullable<ClusterPlan['fabrics']>[number];
export type PoolSpec = ClusterPlan['pools'][number];
export type CapacitySpec = NonNullable<PoolSpec['capacity']>;
export type ReservationSpec = NonNullable<ClusterPlan['reservations']>[number];
export type KubernetesSpec = NonNullable<ClusterPlan['kubernetes']>;
export type WaiverSpec = NonNullable<ClusterPlan['waivers']>[number];
export type PhaseSpec = NonNullable<ClusterPlan['timeline']>[number];
