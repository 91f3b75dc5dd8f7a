export * from './incident';
export * from './track';
export * from './tracks';
export * from './investigation';
export * from './prosecution';
export * from './inquest';
export * from './reminder';
export * from './state';
