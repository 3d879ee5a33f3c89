/** MLflow error codes and the HTTP status each one is answered with. */
export const ERROR_STATUS = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  INVALID_STATE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  RESOURCE_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TEMPORARILY_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * An error the client caused (or, for INTERNAL_ERROR / TEMPORARILY_UNAVAILABLE, one it can retry).
 * INVALID_STATE is a 400 here, not MLflow's 500: the mlflow client retries 5xx for minutes.
 */
export class CairnError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CairnError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  static is(err: unknown, code?: ErrorCode): err is CairnError {
    return err instanceof CairnError && (code === undefined || err.code === code);
  }
}

export const invalidParam = (message: string) => new CairnError('INVALID_PARAMETER_VALUE', message);
export const notFound = (message: string) => new CairnError('RESOURCE_DOES_NOT_EXIST', message);
export const alreadyExists = (message: string) => new CairnError('RESOURCE_ALREADY_EXISTS', message);
export const invalidState = (message: string) => new CairnError('INVALID_STATE', message);
