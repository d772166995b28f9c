/**
 * WebRTC signalling engine: rooms (one per consult), admission through a
 * {@link nl.beeldzorg.signalling.JoinAuthorizer}, relay, reconnect grace and the seams
 * for cross-node relay ({@link nl.beeldzorg.signalling.RelayBus}) and media servers
 * ({@link nl.beeldzorg.signalling.MediaBroker}). No Spring, no database.
 */
@NullMarked
package nl.beeldzorg.signalling;

import org.jspecify.annotations.NullMarked;
