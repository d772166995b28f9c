package nl.beeldzorg.signalling;

import java.util.List;
import java.util.Map;

import nl.beeldzorg.signalling.protocol.PeerInfo;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where the seats of rooms live when several nodes share them (Redis): who is in which
 * room under which peer id, and until when a seat is kept for a peer whose connection is
 * gone. A node that never saw a consult finds a returning peer's seat here and gives it
 * back under the same peer id; a node that dies loses nothing but its sockets.
 * <p>
 * A seat held by a live connection is kept by its node; a seat whose connection dropped
 * (or whose node died) is kept for the reconnect grace, then vacated: exactly one node
 * hears of it through {@link #vacated()} and tells the room. Implementations never block.
 */
public interface SharedSeats {

	/**
	 * Seats a peer: the user's seat when the room still keeps one, else a new one under
	 * the given peer id, unless the room is full. From now on this node keeps the seat.
	 * @param admission who joins which room
	 * @param newPeerId the peer id of a new seat
	 * @param maxPeers the most seats in one room
	 * @return the seat; an error {@link JoinRejectedException} with
	 * {@link SignallingError#ROOM_FULL} when the room is full
	 */
	Mono<Seating> take(Admission admission, String newPeerId, int maxPeers);

	/**
	 * The peer's connection on this node is gone: keep its seat for the reconnect grace.
	 * @param roomId the room
	 * @param peerId the peer
	 * @return done when the store knows
	 */
	Mono<Void> away(String roomId, String peerId);

	/**
	 * The peer left for good.
	 * @param roomId the room
	 * @param peerId the peer
	 * @return done when the store knows
	 */
	Mono<Void> release(String roomId, String peerId);

	/**
	 * The room closed: forget all of its seats.
	 * @param roomId the room
	 * @return done when the store knows
	 */
	Mono<Void> closeRoom(String roomId);

	/**
	 * Seats whose grace ran out, each to one node only, for as long as subscribed.
	 * @return the vacated seats
	 */
	Flux<Vacated> vacated();

	/**
	 * A peer's seat, as taken.
	 *
	 * @param peerId its peer id, the same as before when the seat was kept
	 * @param rejoin whether the room kept the user's seat
	 * @param others the other seats of the room, on any node, connected or within grace
	 * @param take how often the seat has now been taken, this time included (1 for a new
	 * seat): a node drops an announcement of an earlier taking that reaches it late
	 * @param takes per peer id of {@code others}: how often its seat was taken so far
	 */
	record Seating(String peerId, boolean rejoin, List<PeerInfo> others, long take, Map<String, Long> takes) {
	}

	/**
	 * A seat given up after its grace.
	 *
	 * @param roomId the room
	 * @param peer the peer that had it
	 */
	record Vacated(String roomId, PeerInfo peer) {
	}

}
