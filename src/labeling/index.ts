export { labelSteps, type StepLabelOptions, type StepLabelRecord, type StepLabelEvent } from "./label-steps.js";
export { buildRevisions, type RevisionOptions, type RevisionRecord, type RevisionEvent } from "./build-revisions.js";
export { pairRevisions, type RevisionPair } from "./pair-revisions.js";
export { editDistance } from "./edit-distance.js";
export { exactStepLabels, syntheticStepJudge, type ExactStepLabels, type StepError } from "./exact-step-labels.js";
