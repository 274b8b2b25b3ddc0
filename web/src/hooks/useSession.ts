import { useEffect } from "react";
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { fetchSessionUser, logIn, logOut, registerUser, type Credentials } from "../api/auth-api";
import { queryKeys } from "../api/query-keys";
import type { User } from "../api/types";

// The tabs of one browser share the session cookie: when one signs out or in as someone else,
// it tells the others, which ask the server who is signed in now. Without this a tab still
// showing one person sent messages into the account of whoever signed in last.
const sessionChannel = typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel("chatd-session");

function dropOtherQueries(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== queryKeys.session[0] });
}

/** The signed-in person, asked again when another tab changes it or this one gets the focus. */
export function useSessionUser() {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (sessionChannel === null) return;
    const onChange = () => void queryClient.invalidateQueries({ queryKey: queryKeys.session });
    sessionChannel.addEventListener("message", onChange);
    return () => sessionChannel.removeEventListener("message", onChange);
  }, [queryClient]);
  return useQuery({
    queryKey: queryKeys.session,
    queryFn: async () => {
      const before = queryClient.getQueryData<User | null>(queryKeys.session);
      const user = await fetchSessionUser();
      // Someone else now (or no one): nothing cached for the previous person may show, and the
      // address of their open conversation goes too (a new chat opens instead).
      if (before !== undefined && (before?.id ?? null) !== (user?.id ?? null)) {
        dropOtherQueries(queryClient);
        if (window.location.pathname !== "/") window.history.replaceState(null, "", "/");
      }
      return user;
    },
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: "always",
    retry: 1,
  });
}

/** Drops everything cached for the previous person before showing the new one, here and in the other tabs. */
function switchUser(queryClient: QueryClient, user: User | null): void {
  dropOtherQueries(queryClient);
  queryClient.setQueryData(queryKeys.session, user);
  sessionChannel?.postMessage(user?.id ?? null);
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logIn,
    onSuccess: (user) => switchUser(queryClient, user),
  });
}

export function useRegister() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: Credentials) => registerUser(credentials),
    onSuccess: (user) => switchUser(queryClient, user),
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logOut,
    // Signed out locally even if the request failed: the person asked to leave.
    onSettled: () => switchUser(queryClient, null),
  });
}
