export * from './order';
export * from './commands';
export * from './rules';
export * from './status';
