package nl.beeldzorg.signalling;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import nl.beeldzorg.signalling.protocol.PeerInfo;
import nl.beeldzorg.signalling.protocol.SignalMessage;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

/**
 * The peers of one consult held on this node. Every access to {@link #peers} is under the
 * room's monitor; critical sections are a few map operations, never I/O.
 */
final class Room {

	final String id;

	final Map<String, Peer> peers = new LinkedHashMap<>(4);

	@Nullable Disposable subscription;

	/**
	 * With shared seats: the peers of the room held elsewhere (another node, or away
	 * within their grace), kept up to date from the room's {@code peer-joined} and
	 * {@code peer-left}, so relaying needs no round trip to the store. {@code null} on a
	 * single node.
	 */
	@Nullable Set<String> remote;

	/**
	 * Where the room's media flows, as last decided by the broker or announced from any
	 * node: {@code p2p} or {@code sfu}.
	 */
	String media = SignalMessage.Media.P2P;

	/** Set once the room left the engine's map; a joiner that finds it so retries. */
	boolean removed;

	Room(String id) {
		this.id = id;
	}

	boolean has(String peerId) {
		return this.peers.containsKey(peerId) || (this.remote != null && this.remote.contains(peerId));
	}

	void heldElsewhere(String peerId) {
		if (this.remote == null) {
			this.remote = new java.util.HashSet<>(4);
		}
		this.remote.add(peerId);
	}

	void gone(String peerId) {
		if (this.remote != null) {
			this.remote.remove(peerId);
		}
	}

	@Nullable Peer peerOfUser(String userId) {
		for (Peer peer : this.peers.values()) {
			if (peer.admission.userId().equals(userId)) {
				return peer;
			}
		}
		return null;
	}

	List<PeerInfo> othersThan(String peerId) {
		List<PeerInfo> others = new ArrayList<>(this.peers.size());
		for (Peer peer : this.peers.values()) {
			if (!peer.id.equals(peerId)) {
				others.add(peer.info());
			}
		}
		return others;
	}

	/**
	 * One participant's place in the room, kept across reconnects within the grace
	 * period.
	 */
	static final class Peer {

		final String id;

		final Admission admission;

		/**
		 * The live connection, or {@code null} while the peer is away within its grace.
		 */
		@Nullable SignallingConnection connection;

		@Nullable Disposable graceTimer;

		/** The media state last passed on, so repeats without news are not. */
		@Nullable String mediaState;

		/** When stats were last passed on ({@code nanoTime}); 0 before the first. */
		long statsAt;

		boolean statsSeen;

		Peer(String id, Admission admission, SignallingConnection connection) {
			this.id = id;
			this.admission = admission;
			this.connection = connection;
		}

		PeerInfo info() {
			return new PeerInfo(this.id, this.admission.userId(), this.admission.name(), this.admission.discipline());
		}

	}

}
