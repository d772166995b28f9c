package nl.beeldzorg.signalling;

import nl.beeldzorg.signalling.protocol.SignalMessage;
import org.jspecify.annotations.Nullable;

/**
 * A message on its way to the peers of one room, possibly on another node.
 *
 * @param roomId the room
 * @param toPeerId the one addressee, or {@code null} for every peer of the room
 * @param exceptPeerId with a {@code null} addressee: the peer not to send it to
 * @param message the message, {@code from} already stamped
 * @param take with seats shared between nodes, for a {@code peer-joined}: which taking of
 * the peer's seat it announces (they count up from 1 per seat), so a node that learned of
 * a later one already drops it; 0 otherwise
 * @param frame the message as the protocol's codec encoded it, when it came so from
 * another node: sent on as it is, not encoded again; {@code null} otherwise
 */
public record Envelope(String roomId, @Nullable String toPeerId, @Nullable String exceptPeerId, SignalMessage message,
		long take, @Nullable String frame) {

	/**
	 * An envelope whose message is not encoded yet.
	 * @param roomId the room
	 * @param toPeerId the one addressee, or {@code null} for every peer of the room
	 * @param exceptPeerId with a {@code null} addressee: the peer not to send it to
	 * @param message the message, {@code from} already stamped
	 * @param take which taking of a seat a {@code peer-joined} announces; 0 otherwise
	 */
	public Envelope(String roomId, @Nullable String toPeerId, @Nullable String exceptPeerId, SignalMessage message,
			long take) {
		this(roomId, toPeerId, exceptPeerId, message, take, null);
	}

	/**
	 * An envelope that announces no taking of a seat.
	 * @param roomId the room
	 * @param toPeerId the one addressee, or {@code null} for every peer of the room
	 * @param exceptPeerId with a {@code null} addressee: the peer not to send it to
	 * @param message the message, {@code from} already stamped
	 */
	public Envelope(String roomId, @Nullable String toPeerId, @Nullable String exceptPeerId, SignalMessage message) {
		this(roomId, toPeerId, exceptPeerId, message, 0, null);
	}

	/**
	 * A message for one peer.
	 * @param roomId the room
	 * @param toPeerId the addressee
	 * @param message the message
	 * @return the envelope
	 */
	public static Envelope to(String roomId, String toPeerId, SignalMessage message) {
		return new Envelope(roomId, toPeerId, null, message);
	}

	/**
	 * A message for all peers of a room but one.
	 * @param roomId the room
	 * @param exceptPeerId the peer left out, or {@code null} for none
	 * @param message the message
	 * @return the envelope
	 */
	public static Envelope broadcast(String roomId, @Nullable String exceptPeerId, SignalMessage message) {
		return new Envelope(roomId, null, exceptPeerId, message);
	}

}
