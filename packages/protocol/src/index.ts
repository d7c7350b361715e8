export * from './api/account';
export * from './api/identification';
export * from './api/registration';
export * from './api/verification';
export * from './common';
export * from './errors';
export * from './operator/identification';
export * from './ws';
