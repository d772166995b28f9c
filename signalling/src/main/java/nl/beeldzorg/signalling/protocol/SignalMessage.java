package nl.beeldzorg.signalling.protocol;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.jspecify.annotations.Nullable;

/**
 * One frame of the signalling protocol of {@code API.md}: a JSON object whose
 * {@code type} names the record. Client and server share the types; the server stamps
 * {@code from} on everything it relays, and a client's own {@code from} is ignored.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = SignalMessage.Join.class, name = "join"),
		@JsonSubTypes.Type(value = SignalMessage.Offer.class, name = "offer"),
		@JsonSubTypes.Type(value = SignalMessage.Answer.class, name = "answer"),
		@JsonSubTypes.Type(value = SignalMessage.Ice.class, name = "ice"),
		@JsonSubTypes.Type(value = SignalMessage.Leave.class, name = "leave"),
		@JsonSubTypes.Type(value = SignalMessage.Ping.class, name = "ping"),
		@JsonSubTypes.Type(value = SignalMessage.MediaState.class, name = "media-state"),
		@JsonSubTypes.Type(value = SignalMessage.Joined.class, name = "joined"),
		@JsonSubTypes.Type(value = SignalMessage.PeerJoined.class, name = "peer-joined"),
		@JsonSubTypes.Type(value = SignalMessage.PeerLeft.class, name = "peer-left"),
		@JsonSubTypes.Type(value = SignalMessage.Ended.class, name = "ended"),
		@JsonSubTypes.Type(value = SignalMessage.Error.class, name = "error"),
		@JsonSubTypes.Type(value = SignalMessage.Pong.class, name = "pong"),
		@JsonSubTypes.Type(value = SignalMessage.Reconnect.class, name = "reconnect"),
		@JsonSubTypes.Type(value = SignalMessage.Recording.class, name = "recording") })
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface SignalMessage {

	/**
	 * A message that carries media negotiation between two peers of one room: relayed, or
	 * handled by a {@code MediaBroker}.
	 */
	sealed interface Negotiation extends SignalMessage {

		/**
		 * @return the addressed peer
		 */
		@Nullable String to();

		/**
		 * @return the sending peer, stamped by the server
		 */
		@Nullable String from();

		/**
		 * Returns this message as sent by the given peer to the given peer.
		 * @param from the sender's peer id, as the server knows it
		 * @param to the addressee
		 * @return a copy with {@code from} and {@code to} set
		 */
		Negotiation route(String from, @Nullable String to);

	}

	/**
	 * The first frame of every connection.
	 *
	 * @param token the join token that the backend issued for one consult and user
	 */
	record Join(@Nullable String token) implements SignalMessage {
	}

	/**
	 * An SDP offer.
	 *
	 * @param to the addressed peer
	 * @param from the sender, stamped by the server
	 * @param sdp the session description
	 */
	record Offer(@Nullable String to, @Nullable String from, @Nullable String sdp) implements Negotiation {

		@Override
		public Offer route(String from, @Nullable String to) {
			return new Offer(to, from, this.sdp);
		}

	}

	/**
	 * An SDP answer.
	 *
	 * @param to the addressed peer
	 * @param from the sender, stamped by the server
	 * @param sdp the session description
	 */
	record Answer(@Nullable String to, @Nullable String from, @Nullable String sdp) implements Negotiation {

		@Override
		public Answer route(String from, @Nullable String to) {
			return new Answer(to, from, this.sdp);
		}

	}

	/**
	 * A trickled ICE candidate.
	 *
	 * @param to the addressed peer
	 * @param from the sender, stamped by the server
	 * @param candidate the candidate as the browser's {@code RTCIceCandidate.toJSON()}
	 */
	record Ice(@Nullable String to, @Nullable String from, @Nullable IceCandidate candidate) implements Negotiation {

		@Override
		public Ice route(String from, @Nullable String to) {
			return new Ice(to, from, this.candidate);
		}

	}

	/** The client leaves the room for good (no grace period). */
	record Leave() implements SignalMessage {
	}

	/**
	 * What the client's media actually does (v1.1): the backend's figures rest on media
	 * that flowed, not on sockets that opened. Never relayed to other peers.
	 *
	 * @param state {@code connecting}, {@code connected}, {@code disconnected} or
	 * {@code failed}
	 * @param stats summary statistics, at most every 10 s while connected
	 */
	record MediaState(@Nullable String state, @Nullable MediaStats stats) implements SignalMessage {

		/** The states a client reports. */
		public static final java.util.Set<String> STATES = java.util.Set.of("connecting", "connected", "disconnected",
				"failed");

		/**
		 * @return a copy without its stats
		 */
		public MediaState withoutStats() {
			return new MediaState(this.state, null);
		}

	}

	/**
	 * Summary statistics of a client's media over its last interval; any field may be
	 * absent when the browser does not know it yet.
	 *
	 * @param rttMs round-trip time of the selected candidate pair, milliseconds
	 * @param lossPct inbound packets lost, percent of those expected
	 * @param kbpsIn received kilobits per second
	 * @param kbpsOut sent kilobits per second
	 * @param width received video width, pixels
	 * @param height received video height, pixels
	 * @param relay whether the selected local candidate is a TURN relay
	 */
	public record MediaStats(@Nullable Double rttMs, @Nullable Double lossPct, @Nullable Double kbpsIn,
			@Nullable Double kbpsOut, @Nullable Integer width, @Nullable Integer height, @Nullable Boolean relay) {
	}

	/** Keep-alive from the client; answered with {@link Pong}. */
	record Ping() implements SignalMessage {
	}

	/**
	 * Sent to a peer once it is admitted.
	 *
	 * @param consultId the consult, which is the room
	 * @param peerId the id the server gave this peer
	 * @param peers the others in the room, to which this peer sends an offer
	 * @param iceServers STUN and TURN servers for the peer connection
	 */
	record Joined(String consultId, String peerId, List<PeerInfo> peers,
			List<IceServer> iceServers) implements SignalMessage {
	}

	/**
	 * Another peer joined, or rejoined after a network switch: expect its offer.
	 *
	 * @param peer the peer
	 */
	record PeerJoined(PeerInfo peer) implements SignalMessage {
	}

	/**
	 * A peer left, or did not come back within the grace period.
	 *
	 * @param peerId the peer
	 */
	record PeerLeft(String peerId) implements SignalMessage {
	}

	/**
	 * The consult ended; the server closes the connection after this.
	 *
	 * @param consultId the consult
	 */
	record Ended(String consultId) implements SignalMessage {
	}

	/**
	 * Something the client sent was refused.
	 *
	 * @param code a stable code, see {@code SignallingError}
	 * @param message a human-readable explanation
	 */
	record Error(String code, String message) implements SignalMessage {
	}

	/** Answer to {@link Ping}. */
	record Pong() implements SignalMessage {
	}

	/**
	 * The server is about to let this connection go (its node shuts down for a restart or
	 * a rolling deploy): connect again now, to any node, and rejoin with the same token.
	 * The peer keeps its place and its peer id for the reconnect grace; the others see no
	 * {@code peer-left}.
	 *
	 * @param reason why, e.g. {@code shutdown}
	 * @param retryAfterMs how long to wait before connecting again, milliseconds
	 */
	record Reconnect(String reason, long retryAfterMs) implements SignalMessage {

		/** A node that shuts down. */
		public static final String SHUTDOWN = "shutdown";

	}

	/**
	 * A recording of this consult started or stopped; every screen shows it while it
	 * runs.
	 *
	 * @param state {@code started} or {@code stopped}
	 * @param recordingId the recording
	 */
	record Recording(String state, String recordingId) implements SignalMessage {

		/** The recorder runs. */
		public static final String STARTED = "started";

		/** The recorder stopped; the file is complete. */
		public static final String STOPPED = "stopped";

	}

}
