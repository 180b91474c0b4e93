// Writes every inbound and outbound message activity of a conversation to the transcript, in order,
// and waits for each write before the activity goes on: once a channel acknowledges a reply,
// it is already in the store. The stored records of a turn are kept for the channel to return.
import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { TranscriptEntry, TranscriptStore } from './ports.js';
import { transcriptEntryOf } from './replies/index.js';

const STORED = Symbol('transcript.stored');

interface StoredInTurn<Stored> {
  inbound: Stored | undefined;
  outbound: Stored[];
}

export class TranscriptMiddleware<Stored = unknown> implements Middleware {
  constructor(private readonly store: TranscriptStore<Stored>) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const stored: StoredInTurn<Stored> = { inbound: undefined, outbound: [] };
    context.turnState.set(STORED, stored);
    const conversationId = context.activity.conversation.id;
    const activity = context.activity;

    if (activity.type === ActivityTypes.Message) {
      const action = typeof activity.value?.action === 'string' ? (activity.value.action as string) : undefined;
      // what the channel knows beyond the text (MMS links, how a caller answered) travels in channelData
      const extra = activity.channelData?.inbound as TranscriptEntry['payload'] | undefined;
      const payload = action || extra ? { ...(extra ?? {}), ...(action ? { action } : {}) } : null;
      stored.inbound = await this.store.append(conversationId, {
        author: 'customer',
        text: activity.text ?? '',
        payload,
        externalId: activity.id ?? null,
      });
    }

    context.onSendActivities(async (_ctx, activities, sendNext) => {
      for (const outgoing of activities) {
        if (outgoing.type !== ActivityTypes.Message) continue;
        stored.outbound.push(await this.store.append(conversationId, transcriptEntryOf(outgoing)));
      }
      return sendNext();
    });

    await next();
  }
}

/** What the transcript middleware stored during this turn (the customer's message and the replies). */
export function storedInTurn<Stored>(context: TurnContext): StoredInTurn<Stored> {
  return (context.turnState.get(STORED) as StoredInTurn<Stored> | undefined) ?? { inbound: undefined, outbound: [] };
}
