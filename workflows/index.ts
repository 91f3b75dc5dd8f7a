export { claimWorkflow } from './claim/workflow';
export { referralWorkflow } from './referral/workflow';
export { maintenanceWorkflow } from './maintenance/workflow';
