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
		@JsonSubTypes.Type(value = SignalMessage.Recording.class, name = "recording"),
		@JsonSubTypes.Type(value = SignalMessage.Media.class, name = "media") })
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface SignalMessage {

	/** The peer id under which the media server (SFU) takes part in a room. */
	String SFU = "sfu";

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

		/**
		 * @return with the SFU: the peer whose media a subscription receives;
		 * {@code null} for a peer's own published media and between peers
		 */
		@Nullable String subscribe();

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
	 * @param subscribe with the SFU: the peer whose media this offer receives
	 */
	record Offer(@Nullable String to, @Nullable String from, @Nullable String sdp,
			@Nullable String subscribe) implements Negotiation {

		/**
		 * An offer between peers, or one that publishes to the SFU.
		 * @param to the addressed peer
		 * @param from the sender
		 * @param sdp the session description
		 */
		public Offer(@Nullable String to, @Nullable String from, @Nullable String sdp) {
			this(to, from, sdp, null);
		}

		@Override
		public Offer route(String from, @Nullable String to) {
			return new Offer(to, from, this.sdp, this.subscribe);
		}

	}

	/**
	 * An SDP answer.
	 *
	 * @param to the addressed peer
	 * @param from the sender, stamped by the server ({@code sfu} for the SFU's)
	 * @param sdp the session description
	 * @param subscribe from the SFU: the peer whose media the answered subscription
	 * receives
	 */
	record Answer(@Nullable String to, @Nullable String from, @Nullable String sdp,
			@Nullable String subscribe) implements Negotiation {

		/**
		 * An answer between peers, or to a publishing offer.
		 * @param to the addressed peer
		 * @param from the sender
		 * @param sdp the session description
		 */
		public Answer(@Nullable String to, @Nullable String from, @Nullable String sdp) {
			this(to, from, sdp, null);
		}

		@Override
		public Answer route(String from, @Nullable String to) {
			return new Answer(to, from, this.sdp, this.subscribe);
		}

	}

	/**
	 * A trickled ICE candidate.
	 *
	 * @param to the addressed peer
	 * @param from the sender, stamped by the server ({@code sfu} for the SFU's)
	 * @param candidate the candidate as the browser's {@code RTCIceCandidate.toJSON()}
	 * @param subscribe with the SFU: the subscription (by its published peer) the
	 * candidate belongs to; {@code null} for the peer's own published media
	 */
	record Ice(@Nullable String to, @Nullable String from, @Nullable IceCandidate candidate,
			@Nullable String subscribe) implements Negotiation {

		/**
		 * A candidate between peers, or of the published media.
		 * @param to the addressed peer
		 * @param from the sender
		 * @param candidate the candidate
		 */
		public Ice(@Nullable String to, @Nullable String from, @Nullable IceCandidate candidate) {
			this(to, from, candidate, null);
		}

		@Override
		public Ice route(String from, @Nullable String to) {
			return new Ice(to, from, this.candidate, this.subscribe);
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
	 * @param media where the room's media flows now: {@link Media#P2P} or
	 * {@link Media#SFU}
	 */
	record Joined(String consultId, String peerId, List<PeerInfo> peers, List<IceServer> iceServers,
			String media) implements SignalMessage {

		/**
		 * Joined a room whose media goes peer to peer.
		 * @param consultId the consult
		 * @param peerId this peer's id
		 * @param peers the others
		 * @param iceServers STUN and TURN servers
		 */
		public Joined(String consultId, String peerId, List<PeerInfo> peers, List<IceServer> iceServers) {
			this(consultId, peerId, peers, iceServers, Media.P2P);
		}

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

	/**
	 * The room's media moves (v1.1): to the SFU ({@code mode} {@code sfu}: publish own
	 * media to the peer {@code sfu} and subscribe to each other peer's, then close the
	 * peer-to-peer connections) or back to peer to peer ({@code p2p}: offer to each peer
	 * again, as the later joiner does). The server decides; clients may not send it.
	 *
	 * @param mode {@link #P2P} or {@link #SFU}
	 * @param reason why, e.g. {@link #THIRD_PARTICIPANT}
	 */
	record Media(String mode, @Nullable String reason) implements SignalMessage {

		/** Browser to browser. */
		public static final String P2P = "p2p";

		/** Through the media server, addressed as the peer {@code sfu}. */
		public static final String SFU = "sfu";

		/** A third participant joined (mode {@code auto}). */
		public static final String THIRD_PARTICIPANT = "third-participant";

		/** A recording started (mode {@code auto}). */
		public static final String RECORDING = "recording";

		/**
		 * The media server restarted or was lost, and the room's media now runs on a
		 * (possibly other) media server: publish and subscribe again.
		 */
		public static final String MEDIA_SERVER_RESTARTED = "media-server-restarted";

		/** No media server is reachable: two parties go peer to peer. */
		public static final String MEDIA_SERVER_UNREACHABLE = "media-server-unreachable";

		/** A room's media that goes peer to peer, for no particular reason. */
		public static final Media PEER_TO_PEER = new Media(P2P, null);

		/**
		 * @return whether the media goes through the SFU
		 */
		public boolean sfu() {
			return SFU.equals(this.mode);
		}

	}

}
