/** How many handled card nonces a conversation remembers: more than any conversation has cards open. */
const LEDGER_SIZE = 50;

/** The handled nonces of one conversation, stored with its state. */
export interface SubmitLedgerState {
  handled: string[];
}

/** Remembers which card submits were handled, so a repeated submit is a no-op. */
export const SubmitLedger = {
  has(state: SubmitLedgerState, nonce: string): boolean {
    return state.handled.includes(nonce);
  },
  add(state: SubmitLedgerState, nonce: string): void {
    state.handled.push(nonce);
    if (state.handled.length > LEDGER_SIZE) state.handled.splice(0, state.handled.length - LEDGER_SIZE);
  },
};
