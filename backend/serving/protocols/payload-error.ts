import { CairnError } from '../../core/errors';

/** A payload that does not match what the model expects: a 400 saying what was expected. */
export const badPayload = (message: string) => new CairnError('BAD_REQUEST', message);
