export { claimWorkflow } from './claim/workflow';
export { referralWorkflow } from './referral/workflow';
export { releaseWorkflow } from './release/workflow';
export { maintenanceWorkflow } from './maintenance/workflow';
export { incidentWorkflow } from './incident/workflow';
export { investigationWorkflow, prosecutionWorkflow, inquestWorkflow } from './incident/track';
export { importWorkflow } from './import/workflow';

