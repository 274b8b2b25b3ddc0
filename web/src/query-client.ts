import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { ApiError } from "./api/api-error";
import { queryKeys } from "./api/query-keys";

/**
 * The app's QueryClient. Any 401 from the API means the session is gone (expired or
 * revoked): forget the user, which brings back the sign-in screen.
 */
export function createAppQueryClient(): QueryClient {
  const forgetSessionOn401 = (error: unknown) => {
    if (error instanceof ApiError && error.isUnauthenticated) {
      queryClient.setQueryData(queryKeys.session, null);
    }
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (query.queryKey[0] !== queryKeys.session[0]) forgetSessionOn401(error);
      },
    }),
    mutationCache: new MutationCache({ onError: forgetSessionOn401 }),
    defaultOptions: {
      queries: {
        // A 4xx will answer the same again; network trouble and 5xx get two more tries.
        retry: (failureCount, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failureCount < 2,
        staleTime: 5_000,
      },
    },
  });
  return queryClient;
}
