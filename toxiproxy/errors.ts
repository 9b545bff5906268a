/** API errors with Toxiproxy's messages and status codes (api.go). */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export const badRequestBody = (reason: string): ApiError => new ApiError(`bad request body: ${reason}`, 400);
export const missingField = (what: string): ApiError => new ApiError(`missing required field: ${what}`, 400);
export const proxyNotFound = (): ApiError => new ApiError("proxy not found", 404);
export const proxyAlreadyExists = (): ApiError => new ApiError("proxy already exists", 409);
export const invalidStream = (): ApiError =>
  new ApiError("stream was invalid, can be either upstream or downstream", 400);
export const invalidToxicType = (): ApiError => new ApiError("invalid toxic type", 400);
export const toxicAlreadyExists = (): ApiError => new ApiError("toxic already exists", 409);
export const toxicNotFound = (): ApiError => new ApiError("toxic not found", 404);

/** Any error as an ApiError; unknown ones become 500 with their message, as apiError() does. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(err instanceof Error ? err.message : String(err), 500);
}
