package nl.beeldzorg.signalling;

import java.util.Set;

import nl.beeldzorg.signalling.protocol.SignalMessage;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Decides where media flows. Browser to browser ({@link PeerToPeerBroker}: negotiation is
 * relayed unchanged) or through a media server, which answers offers itself.
 */
public interface MediaBroker {

	/**
	 * The engine hands itself over once it is built, so that the broker can tell a room's
	 * peers that its media moved (a recording, a lost media server).
	 * @param rooms how to reach every peer of a room, on every node
	 */
	default void attach(Rooms rooms) {
	}

	/**
	 * A peer was admitted to a room (joined or rejoined); its {@code joined} carries the
	 * mode returned. Called under the room's lock: decide in memory, do no I/O here. When
	 * the mode returned differs from the room's so far, the engine tells the other peers
	 * with this message.
	 * @param roomId the room
	 * @param peerId the admitted peer
	 * @param peers how many peers the room holds now, this one included
	 * @return where the room's media flows from now on, with the reason of a change
	 */
	default SignalMessage.Media admitted(String roomId, String peerId, int peers) {
		return SignalMessage.Media.PEER_TO_PEER;
	}

	/**
	 * Handles an offer, answer or ICE candidate that a peer sent to another peer of its
	 * room, or (room in mode {@code sfu}) an offer or ICE candidate for the peer
	 * {@link SignalMessage#SFU}, with its {@code subscribe} checked to name another peer
	 * of the room. The engine has checked that both are in the room and stamped
	 * {@code from}.
	 * @param roomId the room
	 * @param message the message, routed
	 * @param relay the way to deliver messages to peers of the room
	 * @return completion; an error is answered to the sender as
	 * {@code signalling.internal}
	 */
	Mono<Void> negotiate(String roomId, SignalMessage.Negotiation message, RelayBus relay);

	/**
	 * A peer left the room for good: release what the broker holds for it.
	 * @param roomId the room
	 * @param peerId the peer
	 * @return completion
	 */
	default Mono<Void> peerLeft(String roomId, String peerId) {
		return Mono.empty();
	}

	/**
	 * The room closed: release everything of it.
	 * @param roomId the room
	 * @return completion
	 */
	default Mono<Void> roomClosed(String roomId) {
		return Mono.empty();
	}

	/**
	 * Starts recording the room's media (called only after consent has been recorded). A
	 * broker without a media server cannot record.
	 * @param roomId the room
	 * @param recordingId the recording's id, chosen by the caller
	 * @param uri where the media server writes the file, e.g. {@code file:///…/x.webm}
	 * @return completion once the recorder runs; {@link RecordingUnavailableException}
	 * when no media server can record
	 */
	default Mono<Void> startRecording(String roomId, String recordingId, String uri) {
		return Mono.error(new RecordingUnavailableException("media goes peer to peer; no media server to record"));
	}

	/**
	 * Stops a recording; the file is complete when this completes. Stopping one that is
	 * not running completes normally.
	 * @param roomId the room
	 * @param recordingId the recording
	 * @return completion
	 */
	default Mono<Void> stopRecording(String roomId, String recordingId) {
		return Mono.empty();
	}

	/**
	 * What the engine offers a broker: announcing to the peers of a room.
	 */
	@FunctionalInterface
	interface Rooms {

		/**
		 * Tells every peer of a room, on every node; a {@link SignalMessage.Media} also
		 * sets the room's mode for the engine's routing.
		 * @param roomId the room
		 * @param message the message
		 */
		void announce(String roomId, SignalMessage message);

		/**
		 * @return how the broker delivers messages to peers of any room, on any node;
		 * {@code null} when the engine does not say
		 */
		default @Nullable RelayBus relay() {
			return null;
		}

		/**
		 * @param roomId a room
		 * @return the peers of the room this node knows of, here or on other nodes; none
		 * when it holds no peer of it
		 */
		default Set<String> peers(String roomId) {
			return Set.of();
		}

	}

}
