export * from './clusters';
export * from './device-plugins';
export * from './kueue';
export * from './namespaces';
export * from './pss';
export * from './synth';
export * from './types';
export * from './versions';
