export * from './mls';
