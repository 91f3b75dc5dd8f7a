export * from './model';
export * from './attack';
export * from './suppression';
export * from './publish';
export * from './datapackage';
export * from './release';
export * from './audit';
