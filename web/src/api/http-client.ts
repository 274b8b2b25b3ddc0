import { ApiError, apiErrorFromResponse, isAbortError, networkError } from "./api-error";

export type FetchFunction = typeof fetch;

export interface JsonRequestOptions {
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  fetchImpl?: FetchFunction;
}

/**
 * Calls a JSON endpoint of the API on the same origin, with the session cookie.
 * Resolves with the parsed body (or `undefined` for 204) and rejects with ApiError.
 * An AbortError from the caller's signal is rethrown unchanged.
 */
export async function requestJson<T>(path: string, options: JsonRequestOptions = {}): Promise<T> {
  const fetchImpl = options.fetchImpl ?? globalThis.fetch.bind(globalThis);
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  const init: RequestInit = {
    method: options.method ?? "GET",
    credentials: "same-origin",
    headers,
  };
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body);
  }
  if (options.signal) init.signal = options.signal;

  let response: Response;
  try {
    response = await fetchImpl(path, init);
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw networkError(error);
  }
  if (!response.ok) throw await apiErrorFromResponse(response);
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new ApiError(response.status, "invalid_response", "The server sent an answer that could not be read.");
  }
}
