export * from './vehicles';
export * from './packages';
export * from './campaigns';
export * from './events';
export * from './commands';
export * from './logs';
export * from './settings';
export * from './users';
