/**
 * The network-interface layout of an EFA instance, from the catalog's per-type rule (AWS EC2 User Guide,
 * "Maximize network bandwidth on instances with multiple network cards"): the primary interface is an
 * ENA `interface` on card 0 device 0; each network card carries at most one EFA-only interface.
 *  - standard: efa-only on card 0 device 1 and on device 0 of every further card, up to maxEfaInterfaces;
 *  - card0-ena-only (p6-b300): card 0 carries only the ENA; efa-only on cards 1..maxEfaInterfaces;
 *  - gb200 (p6e-gb200): efa-only on cards 0, 1, 5, 9 and 13.
 */
import type { Ec2InstanceType } from '../catalog';

export interface NetworkInterfaceSlot {
  readonly networkCardIndex: number;
  readonly deviceIndex: number;
  readonly interfaceType: 'interface' | 'efa-only';
}

export const GB200_EFA_CARDS = [0, 1, 5, 9, 13] as const;

const layouts = new WeakMap<Ec2InstanceType, readonly NetworkInterfaceSlot[]>();

/** The layout of a type, built once per type: every pool of a 5,000-pool plan asks for it. */
export function efaInterfaceLayout(instance: Ec2InstanceType): readonly NetworkInterfaceSlot[] {
  let layout = layouts.get(instance);
  if (!layout) layouts.set(instance, (layout = Object.freeze(buildLayout(instance))));
  return layout;
}

function buildLayout(instance: Ec2InstanceType): NetworkInterfaceSlot[] {
  const primary: NetworkInterfaceSlot = { networkCardIndex: 0, deviceIndex: 0, interfaceType: 'interface' };
  const layout = instance.network.efaLayout.value;
  const cards = instance.network.networkCards?.value ?? 1;
  const maxEfa = instance.network.maxEfaInterfaces?.value;
  if (layout === 'gb200')
    return [
      primary,
      ...GB200_EFA_CARDS.filter((c) => c < cards).map((c) => ({
        networkCardIndex: c,
        deviceIndex: c === 0 ? 1 : 0,
        interfaceType: 'efa-only' as const,
      })),
    ];
  const efa = Math.min(maxEfa ?? 0, cards);
  if (layout === 'card0-ena-only')
    return [
      primary,
      ...Array.from({ length: Math.min(efa, cards - 1) }, (_, i) => ({
        networkCardIndex: i + 1,
        deviceIndex: 0,
        interfaceType: 'efa-only' as const,
      })),
    ];
  return [
    primary,
    ...Array.from({ length: efa }, (_, i) => ({
      networkCardIndex: i,
      deviceIndex: i === 0 ? 1 : 0,
      interfaceType: 'efa-only' as const,
    })),
  ];
}

/** EFA devices a node of this type exposes (the EFA device plugin's `vpc.amazonaws.com/efa` count). */
export const efaDevicesPerNode = (instance: Ec2InstanceType): number =>
  efaInterfaceLayout(instance).filter((s) => s.interfaceType === 'efa-only').length;
