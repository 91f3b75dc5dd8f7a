export * from './referral';
export * from './priority';
