package nl.beeldzorg.signalling;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import nl.beeldzorg.signalling.EngineHarness.Client;
import nl.beeldzorg.signalling.protocol.SignalMessage;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's side of media through the SFU: {@code joined.media}, the {@code media}
 * switch, the peer {@code sfu} and {@code subscribe}, with a broker that behaves like the
 * Kurento broker in mode {@code auto} without a media server.
 */
class SfuRoutingTests {

	private final AutoBroker broker = new AutoBroker();

	private final EngineHarness harness = new EngineHarness(SignallingSettings.DEFAULTS, this.broker);

	@Test
	void twoPartiesStayPeerToPeerAndMayNotAddressTheSfu() {
		Client a = this.harness.client();
		assertThat(a.join(this.harness.token("c1", "a")).get("media").asString()).isEqualTo("p2p");
		Client b = this.harness.client();
		JsonNode bJoined = b.join(this.harness.token("c1", "b"));
		assertThat(bJoined.get("media").asString()).isEqualTo("p2p");
		assertThat(a.next().get("type").asString()).isEqualTo("peer-joined");
		b.send("{\"type\":\"offer\",\"to\":\"sfu\",\"sdp\":\"v=0\"}");
		assertThat(b.error()).isEqualTo("signalling.not-allowed");
		String aId = bJoined.get("peers").get(0).get("peerId").asString();
		b.send("{\"type\":\"offer\",\"to\":\"" + aId + "\",\"subscribe\":\"" + aId + "\",\"sdp\":\"v=0\"}");
		assertThat(b.error()).isEqualTo("signalling.invalid-message");
		assertThat(this.broker.negotiated).isEmpty();
		assertThat(a.unread()).isEmpty();
	}

	@Test
	void theThirdParticipantMovesTheRoomToTheSfuAndEveryoneIsTold() {
		Client a = this.harness.client();
		String aId = a.join(this.harness.token("c1", "a")).get("peerId").asString();
		Client b = this.harness.client();
		b.join(this.harness.token("c1", "b"));
		a.next();
		Client c = this.harness.client();
		JsonNode cJoined = c.join(this.harness.token("c1", "c"));
		assertThat(cJoined.get("media").asString()).isEqualTo("sfu");
		for (Client earlier : new Client[] { a, b }) {
			List<JsonNode> told = earlier.unread();
			assertThat(told).extracting((frame) -> frame.get("type").asString())
				.containsExactly("peer-joined", "media");
			assertThat(told.get(1).get("mode").asString()).isEqualTo("sfu");
			assertThat(told.get(1).get("reason").asString()).isEqualTo("third-participant");
		}
		assertThat(c.unread()).isEmpty();

		String cId = cJoined.get("peerId").asString();
		c.send("{\"type\":\"offer\",\"to\":\"sfu\",\"from\":\"forged\",\"sdp\":\"v=0 publish\"}");
		c.send("{\"type\":\"offer\",\"to\":\"sfu\",\"subscribe\":\"" + aId + "\",\"sdp\":\"v=0 sub\"}");
		c.send("{\"type\":\"ice\",\"to\":\"sfu\",\"subscribe\":\"" + aId
				+ "\",\"candidate\":{\"candidate\":\"candidate:1\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
		assertThat(this.broker.negotiated).extracting(Object::toString)
			.containsExactly("offer " + cId + "->sfu publish", "offer " + cId + "->sfu " + aId,
					"ice " + cId + "->sfu " + aId);
		List<JsonNode> answers = c.unread();
		assertThat(answers).hasSize(2);
		assertThat(answers.get(0).get("from").asString()).isEqualTo("sfu");
		assertThat(answers.get(0).has("subscribe")).isFalse();
		assertThat(answers.get(1).get("from").asString()).isEqualTo("sfu");
		assertThat(answers.get(1).get("subscribe").asString()).isEqualTo(aId);
		assertThat(a.unread()).isEmpty();
	}

	@Test
	void theSfuRefusesAnswersSubscriptionsToSelfAndToStrangers() {
		Client[] trio = trio("c1");
		Client c = trio[2];
		String cId = EngineHarness.json.readTree(c.frames.get(0)).get("peerId").asString();
		c.send("{\"type\":\"answer\",\"to\":\"sfu\",\"sdp\":\"v=0\"}");
		assertThat(c.error()).isEqualTo("signalling.invalid-message");
		c.send("{\"type\":\"offer\",\"to\":\"sfu\",\"subscribe\":\"" + cId + "\",\"sdp\":\"v=0\"}");
		assertThat(c.error()).isEqualTo("signalling.not-in-room");
		c.send("{\"type\":\"offer\",\"to\":\"sfu\",\"subscribe\":\"stranger\",\"sdp\":\"v=0\"}");
		assertThat(c.error()).isEqualTo("signalling.not-in-room");
		assertThat(this.broker.negotiated).isEmpty();
	}

	@Test
	void theBrokerMayMoveTheRoomBackToPeerToPeerAndTheSfuIsGoneForRouting() {
		Client[] trio = trio("c1");
		this.broker.rooms.announce("c1",
				new SignalMessage.Media(SignalMessage.Media.P2P, SignalMessage.Media.MEDIA_SERVER_UNREACHABLE));
		for (Client client : trio) {
			JsonNode media = client.next();
			assertThat(media.get("type").asString()).isEqualTo("media");
			assertThat(media.get("mode").asString()).isEqualTo("p2p");
			assertThat(media.get("reason").asString()).isEqualTo("media-server-unreachable");
		}
		trio[0].send("{\"type\":\"offer\",\"to\":\"sfu\",\"sdp\":\"v=0\"}");
		assertThat(trio[0].error()).isEqualTo("signalling.not-allowed");
	}

	@Test
	void aClientMayNotSendTheMediaMessage() {
		Client a = this.harness.client();
		a.join(this.harness.token("c1", "a"));
		a.send("{\"type\":\"media\",\"mode\":\"sfu\"}");
		assertThat(a.error()).isEqualTo("signalling.not-allowed");
	}

	private Client[] trio(String room) {
		Client a = this.harness.client();
		a.join(this.harness.token(room, "a"));
		Client b = this.harness.client();
		b.join(this.harness.token(room, "b"));
		Client c = this.harness.client();
		c.join(this.harness.token(room, "c"));
		a.unread();
		b.unread();
		return new Client[] { a, b, c };
	}

	/**
	 * Peer to peer for two, the SFU from the third; answers every offer to the SFU at
	 * once.
	 */
	static final class AutoBroker implements MediaBroker {

		final List<String> negotiated = new CopyOnWriteArrayList<>();

		MediaBroker.Rooms rooms;

		@Override
		public void attach(MediaBroker.Rooms rooms) {
			this.rooms = rooms;
		}

		@Override
		public SignalMessage.Media admitted(String roomId, String peerId, int peers) {
			return (peers >= 3)
					? new SignalMessage.Media(SignalMessage.Media.SFU, SignalMessage.Media.THIRD_PARTICIPANT)
					: SignalMessage.Media.PEER_TO_PEER;
		}

		@Override
		public Mono<Void> negotiate(String roomId, SignalMessage.Negotiation message, RelayBus relay) {
			if (!SignalMessage.SFU.equals(message.to())) {
				return new PeerToPeerBroker().negotiate(roomId, message, relay);
			}
			String what = (message.subscribe() != null) ? message.subscribe() : "publish";
			String type = (message instanceof SignalMessage.Offer) ? "offer" : "ice";
			this.negotiated.add(type + " " + message.from() + "->" + message.to() + " " + what);
			if (message instanceof SignalMessage.Offer) {
				relay.publish(Envelope.to(roomId, message.from(), new SignalMessage.Answer(message.from(),
						SignalMessage.SFU, "v=0 answer", message.subscribe())));
			}
			return Mono.empty();
		}

	}

}
