/** Types of the versioned accelerator catalog (`data/catalog.json`, checked by `catalog.schema.json`). */

export type Confidence = 'official' | 'estimate';

/** One sourced figure: a value, the sources it comes from, and whether it is official or an estimate. */
export interface Figure<T> {
  readonly value: T;
  readonly sources: readonly string[];
  readonly confidence: Confidence;
  readonly note?: string;
}

export interface Source {
  readonly title: string;
  readonly url: string | null;
}

export type QuotaFamily = 'P' | 'G' | 'Trn' | 'Inf';
export type Cooling = 'air' | 'liquid';
/** How EFA interfaces are laid out over network cards (see pipeline/model/efa.ts). */
export type EfaLayout = 'standard' | 'card0-ena-only' | 'gb200';
/** CPU architecture, as EC2 DescribeInstanceTypes names it (ProcessorInfo.SupportedArchitectures). */
export type CpuArchitecture = 'x86_64' | 'arm64';

export interface AcceleratorInfo {
  readonly vendor: 'nvidia' | 'aws';
  readonly model: string;
  readonly count: Figure<number>;
  /** Total accelerator memory of the node. */
  readonly memoryGiB?: Figure<number>;
  /** Power of one accelerator (W). */
  readonly tdpW?: Figure<number>;
}

export interface Ec2InstanceType {
  readonly quotaFamily: QuotaFamily;
  readonly accelerator: AcceleratorInfo;
  readonly vcpus: Figure<number>;
  readonly memoryGiB: Figure<number>;
  /** CPU architecture of the host (the EKS AMI type follows it). */
  readonly architecture: Figure<CpuArchitecture>;
  readonly network: {
    readonly bandwidthGbps: Figure<number>;
    readonly networkCards?: Figure<number>;
    readonly maxEfaInterfaces?: Figure<number>;
    readonly maxNetworkInterfaces?: Figure<number>;
    readonly ipv4PerInterface?: Figure<number>;
    readonly vpcCniMaxPods?: Figure<number>;
    readonly efaLayout: Figure<EfaLayout>;
  };
  readonly ultraServer?: { readonly name: string; readonly instancesPerUltraServer: Figure<number[]> };
  readonly purchase?: {
    readonly onDemand?: Figure<boolean>;
    readonly spot?: Figure<boolean>;
    readonly capacityBlock?: Figure<boolean>;
    readonly capacityBlockOnly?: Figure<boolean>;
  };
  readonly regions?: {
    readonly capacityBlocks?: Figure<string[]>;
    readonly capacityBlockZones?: Figure<string[]>;
    readonly onDemand?: Figure<string[]>;
  };
  readonly onDemandUsdPerHour?: Figure<number>;
  readonly cooling?: Figure<Cooling>;
  readonly maxSystemKW?: Figure<number>;
  readonly ec2Name?: Figure<string>;
  readonly notes?: readonly string[];
}

export interface OnPremSystem {
  readonly accelerator: AcceleratorInfo;
  readonly maxSystemKW: Figure<number>;
  readonly rackUnits?: Figure<number>;
  /** A whole-rack system (GB200 NVL72): one node fills one rack. */
  readonly wholeRack?: Figure<boolean>;
  readonly computeNics?: Figure<number>;
  readonly computeNicGbps?: Figure<number>;
  /** Hosts (Kubernetes nodes) in one system: 18 compute trays in a GB200 NVL72 rack; 1 when absent. */
  readonly kubernetesNodesPerSystem?: Figure<number>;
  readonly cooling: Figure<Cooling>;
  readonly scalableUnitNodes?: Figure<number>;
  readonly notes?: readonly string[];
}

export interface NetworkDevice {
  readonly kind: 'switch' | 'transceiver';
  readonly vendor: string;
  readonly model: string;
  readonly ports?: Figure<number>;
  readonly portGbps: Figure<number>;
  readonly rackUnits?: Figure<number>;
  readonly powerW?: Figure<number>;
}

export interface Catalog {
  readonly catalogVersion: string;
  readonly compiledFrom: string;
  readonly sources: Readonly<Record<string, Source>>;
  readonly ec2InstanceTypes: Readonly<Record<string, Ec2InstanceType>>;
  readonly onPremSystems: Readonly<Record<string, OnPremSystem>>;
  readonly networkDevices: Readonly<Record<string, NetworkDevice>>;
  readonly awsLimits: Readonly<Record<string, Figure<number | boolean | string>>>;
  readonly facility: Readonly<Record<string, Figure<number>>>;
  /** ECR registry host per AWS region that EKS replicates its add-on and device-plugin images to. */
  readonly eksImageRegistries: Figure<Readonly<Record<string, string>>>;
  /** Amazon EKS add-on version per add-on, per Kubernetes minor version ("1.33"), as the EKS guide lists them. */
  readonly eksAddonVersions: Readonly<Record<string, Figure<Readonly<Record<string, string>>>>>;
}
