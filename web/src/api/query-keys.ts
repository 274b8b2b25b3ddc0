// TanStack Query keys in one place. The list is exactly ["conversations"], as the
// original app used; a conversation's messages live under a different first element so
// that refreshing the list does not refetch every open conversation.
export const queryKeys = {
  session: ["session"] as const,
  conversations: ["conversations"] as const,
  conversation: (id: string) => ["conversation", id] as const,
};
