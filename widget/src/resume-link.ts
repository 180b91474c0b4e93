// A reply e-mail's link: ?chat=open&conversation=<id>#token=<resume token>. The token is in the fragment so
// no server log sees it; once read it is taken out of the address bar (and of the history entry).
export function takeResumeLink(): { conversationId: string; token: string } | undefined {
  const conversationId = new URLSearchParams(location.search).get('conversation');
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  if (!conversationId || !token) return undefined;
  try {
    history.replaceState(history.state, '', location.pathname + location.search);
  } catch {
    // sandboxed frames may refuse; the token only opens this one conversation
  }
  return { conversationId, token };
}
