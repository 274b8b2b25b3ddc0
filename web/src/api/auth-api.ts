import { requestJson } from "./http-client";
import type { User } from "./types";
import { ApiError } from "./api-error";

export interface Credentials {
  username: string;
  password: string;
}

export async function registerUser(credentials: Credentials): Promise<User> {
  const body = await requestJson<{ user: User }>("/api/auth/register", { method: "POST", body: credentials });
  return body.user;
}

export async function logIn(credentials: Credentials): Promise<User> {
  const body = await requestJson<{ user: User }>("/api/auth/login", { method: "POST", body: credentials });
  return body.user;
}

export async function logOut(): Promise<void> {
  await requestJson<void>("/api/auth/logout", { method: "POST" });
}

/** The signed-in person, or null when there is no valid session (401). */
export async function fetchSessionUser(): Promise<User | null> {
  try {
    const body = await requestJson<{ user: User }>("/api/auth/session");
    return body.user;
  } catch (error) {
    if (error instanceof ApiError && error.isUnauthenticated) return null;
    throw error;
  }
}
