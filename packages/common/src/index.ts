export * from './clock';
export * from './config-reader';
export * from './database';
export * from './ids';
export * from './logger';
export * from './signing';
export * from './testing';
