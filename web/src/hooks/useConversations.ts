import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  deleteConversation,
  fetchConversation,
  listConversations,
  renameConversation,
} from "../api/conversations-api";
import { queryKeys } from "../api/query-keys";
import type { Conversation } from "../api/types";

function newestFirst(conversations: Conversation[]): Conversation[] {
  // The server already orders them; sorting again keeps an optimistic rename in place.
  return [...conversations].sort((a, b) => (a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : 0));
}

/** While the list cannot be loaded it is asked again every few seconds, so its notice goes once the server is back. */
const LIST_RETRY_MS = 5_000;

export function useConversationList() {
  return useQuery({
    queryKey: queryKeys.conversations,
    queryFn: listConversations,
    select: newestFirst,
    refetchInterval: (query) => (query.state.status === "error" ? LIST_RETRY_MS : false),
    refetchIntervalInBackground: true,
  });
}

export function useConversationDetail(id: string | null) {
  return useQuery({
    queryKey: queryKeys.conversation(id ?? ""),
    queryFn: ({ signal }) => fetchConversation(id ?? "", signal),
    enabled: id !== null,
  });
}

export function useRenameConversation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, title }: { id: string; title: string }) => renameConversation(id, title),
    onMutate: async ({ id, title }) => {
      await queryClient.cancelQueries({ queryKey: queryKeys.conversations });
      const previous = queryClient.getQueryData<Conversation[]>(queryKeys.conversations);
      queryClient.setQueryData<Conversation[]>(queryKeys.conversations, (list) =>
        list?.map((conversation) => (conversation.id === id ? { ...conversation, title } : conversation)),
      );
      return { previous };
    },
    onError: (_error, _variables, context) => {
      if (context?.previous) queryClient.setQueryData(queryKeys.conversations, context.previous);
    },
    onSettled: (_data, _error, { id }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.conversations });
      void queryClient.invalidateQueries({ queryKey: queryKeys.conversation(id) });
    },
  });
}

/**
 * `onDeleted` is given here rather than to mutate(): the row that asked unmounts as soon
 * as the list drops it, and mutate()'s own callbacks do not run after an unmount.
 */
export function useDeleteConversation(onDeleted: (id: string) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteConversation(id),
    onSuccess: (_data, id) => {
      onDeleted(id);
      queryClient.setQueryData<Conversation[]>(queryKeys.conversations, (list) => list?.filter((conversation) => conversation.id !== id));
      queryClient.removeQueries({ queryKey: queryKeys.conversation(id) });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.conversations }),
  });
}
