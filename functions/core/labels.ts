/**
 * Labels ferry puts on what it creates in Vertex AI, so a retried step finds its first attempt's
 * work: the register stage writes them on the model version it uploads, the Vertex adapters filter
 * by them (a model by workflow, a version by run, an endpoint by workflow). One definition, here in
 * core, because both the pipeline and the adapters depend on the same spelling.
 */
export const RUN_LABEL = 'ferry_run';
export const WORKFLOW_LABEL = 'ferry_workflow';
