package nl.beeldzorg.signalling;

import java.util.function.Predicate;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Carries messages to the node(s) that hold the addressed peers' connections. In one
 * process that is a direct call ({@link InProcessRelayBus}); across nodes pub/sub
 * channels, one per room and one per node.
 */
public interface RelayBus {

	/**
	 * Sends an envelope to every node subscribed to its room.
	 * @param envelope the envelope
	 */
	void publish(Envelope envelope);

	/**
	 * Receives the envelopes of one room on this node, for as long as the returned handle
	 * is not disposed. A node subscribes while it holds at least one peer of the room.
	 * @param roomId the room
	 * @param delivery called for each envelope, on any thread; answers whether a peer
	 * connected here took it (a bus that sent it to this node alone passes on what no
	 * peer here took to the room's other nodes)
	 * @return the subscription, to dispose when the node no longer holds a peer of the
	 * room
	 */
	Disposable subscribe(String roomId, Predicate<Envelope> delivery);

	/**
	 * Completes once this node receives what is published to the room, so that a peer is
	 * only told who is in the room when it will also hear who comes next.
	 * @param roomId a room this node subscribed to
	 * @return done when the subscription is in place; at once in one process
	 */
	default Mono<Void> subscribed(String roomId) {
		return Mono.empty();
	}

}
