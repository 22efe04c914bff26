/** The optional wire fields of an {@link ApiError}. */
export type ApiErrorOptions = {
  /** OpenAI's error `type`; default by status: `rate_limit_error` (429), `server_error` (≥ 500), else `invalid_request_error`. */
  type?: string;
  /** The request field at fault (e.g. `messages`), or null when none is (the default). */
  param?: string | null;
  /** A stable code for programs (e.g. `invalid_value`), or null (the default). */
  code?: string | null;
};

/** The JSON body of an error response, `{ "error": { ... } }`, as OpenAI's clients parse it. */
export type ApiErrorBody = {
  /** What went wrong. */
  error: ApiErrorDetail;
};

/** The `error` object of an {@link ApiErrorBody}, every field present. */
export type ApiErrorDetail = {
  /** What was wrong, for people (the {@link ApiError}'s message). */
  message: string;
  /** OpenAI's error type: the one given, or the status's default (`invalid_request_error`, `rate_limit_error`, `server_error`). */
  type: string;
  /** The request field at fault, or null. */
  param: string | null;
  /** The stable code for programs, or null. */
  code: string | null;
};

/**
 * An error answered in OpenAI's wire format:
 * `{ "error": { "message", "type", "param", "code" } }` with HTTP `status`.
 */
export class ApiError extends Error {
  /**
   * @param status - the HTTP status (400 bad field, 404 unknown model or path, 413 too large, 429 queue full…)
   * @param message - what was wrong, for people
   * @param options - `type` (default by status), `param` (the request field at fault), `code` (stable, for programs)
   */
  constructor(
    /** The HTTP status answered. */
    readonly status: number,
    message: string,
    /** OpenAI's `type`, `param` and `code` fields. */
    readonly options: ApiErrorOptions = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The JSON body OpenAI's clients parse. */
  toJSON(): ApiErrorBody {
    return {
      error: {
        message: this.message,
        type: this.options.type ?? defaultType(this.status),
        param: this.options.param ?? null,
        code: this.options.code ?? null,
      },
    };
  }
}

function defaultType(status: number): string {
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** 400 for a request field: names the field in `param`. */
export function badField(param: string, message: string, code: string | null = 'invalid_value'): ApiError {
  return new ApiError(400, `${param}: ${message}`, { param, code });
}
