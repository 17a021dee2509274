/** The one HTTP client: bearer token, JSON, and errors turned into messages a user can act on. */

export const API_BASE = "/api/v1";
const TOKEN_KEY = "wtw.token";

export class ApiError extends Error {
  readonly status: number;
  readonly fields: Record<string, string>;

  constructor(status: number, message: string, fields: Record<string, string> = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.fields = fields;
  }
}

let token: string | null = readStoredToken();
const unauthorizedListeners = new Set<() => void>();

function readStoredToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function getToken(): string | null {
  return token;
}

export function setToken(value: string | null): void {
  token = value;
  try {
    if (value) localStorage.setItem(TOKEN_KEY, value);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage disabled: keep the token in memory only */
  }
}

/** Called when the server rejects our token (expired session). */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export type Query = Record<string, string | number | boolean | undefined | null | string[]>;

export function toSearchParams(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) value.forEach((v) => params.append(key, v));
    else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

interface RequestOptions {
  query?: Query;
  json?: unknown;
  form?: URLSearchParams | FormData;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.form) {
    body = options.form;
  }
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}${toSearchParams(options.query)}`, {
      method,
      headers,
      body,
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "Can't reach the server. Check that it is running and try again.");
  }
  return parseResponse<T>(response.status, response.headers.get("Content-Type"), await response.text());
}

/** Shared by fetch and the XMLHttpRequest upload path. */
export function parseResponse<T>(status: number, contentType: string | null, text: string): T {
  const data: unknown = text && contentType?.includes("json") ? safeJson(text) : text;
  if (status >= 200 && status < 300) return (status === 204 ? undefined : data) as T;
  if (status === 401 && token) {
    setToken(null);
    unauthorizedListeners.forEach((listener) => listener());
  }
  throw errorFrom(status, data);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

interface ValidationItem {
  loc?: Array<string | number>;
  msg?: string;
}

export function errorFrom(status: number, data: unknown): ApiError {
  const detail = typeof data === "object" && data !== null ? (data as { detail?: unknown }).detail : undefined;
  if (Array.isArray(detail)) {
    const fields: Record<string, string> = {};
    for (const item of detail as ValidationItem[]) {
      const field = String(item.loc?.[item.loc.length - 1] ?? "request");
      fields[field] = (item.msg ?? "is invalid").replace(/^Value error, /, "");
    }
    const summary = Object.entries(fields)
      .map(([field, msg]) => `${field}: ${msg}`)
      .join("; ");
    return new ApiError(status, `Please check the form — ${summary}`, fields);
  }
  if (typeof detail === "string" && detail) return new ApiError(status, detail);
  return new ApiError(status, defaultMessage(status));
}

function defaultMessage(status: number): string {
  if (status === 401) return "Your session has expired. Please log in again.";
  if (status === 403) return "You don't have access to this.";
  if (status === 404) return "We couldn't find that.";
  if (status === 413) return "That file is too large.";
  if (status === 429) return "Too many attempts. Please wait a minute and try again.";
  if (status === 503) return "The service is temporarily unavailable. Please try again in a moment.";
  if (status >= 500) return "Something went wrong on our side. Please try again.";
  return `The request failed (${status}).`;
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}
