package nl.beeldzorg.signalling;

import nl.beeldzorg.signalling.protocol.SignalMessage;

/**
 * Told about admissions, departures and media states, so the backend can stamp
 * {@code connectedAt}, keep media statistics and write its audit trail. Called on the
 * engine's threads: implementations must not block.
 */
public interface RoomObserver {

	/** Observes nothing. */
	RoomObserver NONE = new RoomObserver() {
	};

	/**
	 * A peer was admitted to a room (also on rejoin after a network switch).
	 * @param admission who joined where
	 * @param distinctUsers how many distinct users the room now holds, this one included
	 * @param rejoin whether the user was already in the room (reconnect within grace)
	 */
	default void joined(Admission admission, int distinctUsers, boolean rejoin) {
	}

	/**
	 * A peer left for good: by {@code leave}, or because its grace period ran out.
	 * @param admission who left which room
	 * @param reason why
	 */
	default void left(Admission admission, LeaveReason reason) {
	}

	/**
	 * A peer reported what its media does (v1.1). The engine passes a state only when it
	 * changed or carries stats, and stats at most every 10 s per peer.
	 * @param admission who reported, in which room
	 * @param report the state, with stats or without
	 */
	default void mediaState(Admission admission, SignalMessage.MediaState report) {
	}

	/**
	 * The room's media server was lost or restarted, and the broker rebuilt the room's
	 * media on another one ({@code media-server-restarted}) or sent it peer to peer
	 * ({@code media-server-unreachable}). Whatever that server was recording has ended
	 * there: the backend completes it, so the record and the pages agree and a new
	 * recording can start.
	 * @param roomId the room
	 * @param media what the peers were told
	 */
	default void mediaLost(String roomId, SignalMessage.Media media) {
	}

	/** Why a peer left a room. */
	enum LeaveReason {

		/** The client sent {@code leave}. */
		LEFT,

		/** The connection dropped and did not come back within the grace period. */
		GRACE_EXPIRED,

		/** The room was closed because the consult ended. */
		ROOM_CLOSED

	}

}
