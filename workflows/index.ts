export { claimWorkflow } from './claim/workflow';
