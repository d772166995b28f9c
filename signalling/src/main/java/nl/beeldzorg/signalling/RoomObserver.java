package nl.beeldzorg.signalling;

/**
 * Told about admissions and departures, so the backend can stamp {@code connectedAt} and
 * write its audit trail. Called on the engine's threads: implementations must not block.
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
