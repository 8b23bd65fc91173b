/**
 * Every Cloud Function of ferry, registered with the Functions Framework under the entry-point
 * names Terraform deploys (`--target=onArtifact` etc.). Each lives in its own module so a
 * per-function bundle loads only its own code.
 */
import './entry/on-artifact';
import './entry/register-model';
import './entry/deploy-model';
import './entry/await-operation';
import './entry/validate-predictions';
import './entry/publish-mobile';
import './entry/on-dead-letter';
import './entry/reconcile';
import './entry/notify-run-event';

export { ENTRY_POINTS } from './entry-points';
