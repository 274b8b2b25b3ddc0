import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { fetchSessionUser, logIn, logOut, registerUser, type Credentials } from "../api/auth-api";
import { queryKeys } from "../api/query-keys";
import type { User } from "../api/types";

export function useSessionUser() {
  return useQuery({
    queryKey: queryKeys.session,
    queryFn: fetchSessionUser,
    staleTime: Number.POSITIVE_INFINITY,
    retry: 1,
  });
}

/** Drops everything cached for the previous person before showing the new one. */
function switchUser(queryClient: QueryClient, user: User | null): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== queryKeys.session[0] });
  queryClient.setQueryData(queryKeys.session, user);
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
