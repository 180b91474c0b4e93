// The web chat channel's id. Its turns run through the shared channel adapter (../channel-adapter.ts),
// reached through app.inbound like every channel's.
export { BOT_ACCOUNT, type TurnResult, type BotLogic } from '../channel-adapter.js';

export const WEB_CHANNEL = 'web';
