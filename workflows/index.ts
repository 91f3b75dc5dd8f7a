export { claimWorkflow } from './claim/workflow';
export { referralWorkflow } from './referral/workflow';
export { releaseWorkflow } from './release/workflow';
export { maintenanceWorkflow } from './maintenance/workflow';
export { importWorkflow } from './import/workflow';
