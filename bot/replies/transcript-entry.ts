// The transcript entry an outgoing activity stands for travels with it in channelData, so the
// transcript middleware stores the same meaning (articles, buttons, decision) on every channel.
import type { Activity } from 'botbuilder';
import type { TranscriptEntry } from '../ports.js';

const TRANSCRIPT = 'transcript';

/** Attaches the transcript entry a rendered activity stands for. */
export function withTranscript(activity: Partial<Activity>, entry: Omit<TranscriptEntry, 'text' | 'externalId'> & { text?: string }): Partial<Activity> {
  return { ...activity, channelData: { ...(activity.channelData ?? {}), [TRANSCRIPT]: entry } };
}

/** The transcript entry of an outgoing activity: what renderers attached, else its plain text from the bot. */
export function transcriptEntryOf(activity: Partial<Activity>): TranscriptEntry {
  const attached = activity.channelData?.[TRANSCRIPT] as (Omit<TranscriptEntry, 'text'> & { text?: string }) | undefined;
  return {
    author: attached?.author ?? 'bot',
    text: attached?.text ?? activity.text ?? '',
    payload: attached?.payload ?? null,
    externalId: activity.id ?? null,
  };
}
