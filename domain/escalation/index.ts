export * from './policy';
export * from './deadlines';
export * from './reminder';
export * from './tracker';
export * from './delivery';
export * from './acknowledgment';
export * from './notice';
