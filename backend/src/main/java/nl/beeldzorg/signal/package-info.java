/**
 * Wiring of the signalling engine: WebSocket endpoint, join authorization, room observer.
 */
@NullMarked
package nl.beeldzorg.signal;

import org.jspecify.annotations.NullMarked;
