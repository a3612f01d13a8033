// Timing of live updates, shared by the extension's watcher and the bench that measures event-to-view latency.

/** Events arriving within this window after the first of a batch are applied together. */
export const eventDebounceMs = 75;
/** First delay before reopening a dropped event stream; doubles per failed attempt up to reconnectMaxDelayMs. */
export const reconnectInitialDelayMs = 250;
export const reconnectMaxDelayMs = 15_000;
/**
 * Delays before reading a container again when the list call still showed it without the network a connect event
 * announced (or with the one a disconnect removed): the engine saves the endpoints just after it sends the event.
 */
export const unsettledRetryDelaysMs: readonly number[] = [50, 150, 400, 1000, 2500];
