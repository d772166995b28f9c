package nl.beeldzorg.signalling;

/**
 * Why the engine refused something a client sent. The {@link #code()} is part of the
 * public contract: clients switch on it.
 */
public enum SignallingError {

	/** The frame is not a JSON object. */
	MALFORMED("signalling.malformed", "The frame is not valid JSON", false),

	/** The {@code type} is missing or not one of the protocol's. */
	UNKNOWN_TYPE("signalling.unknown-type", "Unknown message type", false),

	/** A required field is missing or has the wrong shape. */
	INVALID_MESSAGE("signalling.invalid-message", "The message lacks a required field or has a wrong one", false),

	/**
	 * A {@code media-state} whose state is not one of the four, or whose stats are out of
	 * range.
	 */
	INVALID_MEDIA_STATE("signalling.invalid-media-state",
			"state must be connecting, connected, disconnected or failed, with stats in range", false),

	/** A frame larger than the limit. */
	FRAME_TOO_LARGE("signalling.frame-too-large", "The frame is larger than allowed", false),

	/** More messages per second than allowed. */
	RATE_LIMITED("signalling.rate-limited", "Too many messages; slow down", false),

	/** Anything but {@code join} (or {@code ping}) before being admitted. */
	NOT_JOINED("signalling.not-joined", "Send join with a token first", false),

	/** A second {@code join} on a connection that is already in a room. */
	ALREADY_JOINED("signalling.already-joined", "This connection already joined", false),

	/** A message for a peer that is not in the sender's room. */
	NOT_IN_ROOM("signalling.not-in-room", "That peer is not in this consult", false),

	/** Server → client messages sent by a client. */
	NOT_ALLOWED("signalling.not-allowed", "Clients may not send this message type", false),

	/**
	 * The join token is missing, forged, expired, or for a consult the user may not join.
	 */
	INVALID_TOKEN("signalling.invalid-token", "The join token is not valid", true),

	/** The consult is over. */
	CONSULT_ENDED("signalling.consult-ended", "The consult has ended", true),

	/** The room has as many peers as allowed. */
	ROOM_FULL("signalling.room-full", "The consult has as many participants as allowed", true),

	/** The same user joined again on another connection, which replaces this one. */
	REPLACED("signalling.replaced", "You joined this consult from another connection", true),

	/**
	 * The socket was not admitted (a valid {@code join}) within the join timeout; the
	 * server closes it so that idle sockets do not pile up.
	 */
	JOIN_TIMEOUT("signalling.join-timeout", "No valid join in time; connect again and send join first", true),

	/** Something failed on the server; the client may try again. */
	INTERNAL("signalling.internal", "The server could not handle the message", false);

	private final String code;

	private final String message;

	private final boolean closesConnection;

	SignallingError(String code, String message, boolean closesConnection) {
		this.code = code;
		this.message = message;
		this.closesConnection = closesConnection;
	}

	/**
	 * @return the stable machine code, e.g. {@code signalling.not-in-room}
	 */
	public String code() {
		return this.code;
	}

	/**
	 * @return the default human-readable message
	 */
	public String message() {
		return this.message;
	}

	/**
	 * @return whether the server closes the connection after sending this error
	 */
	public boolean closesConnection() {
		return this.closesConnection;
	}

}
