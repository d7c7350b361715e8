// The authority side of the API: request signing and a small client (browser and Node alike).
export * from './authority-client';
export * from './signer';
