package nl.beeldzorg.signalling;

import java.time.Duration;

import nl.beeldzorg.signalling.EngineHarness.Client;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class SignallingEngineTests {

	private final EngineHarness harness = new EngineHarness();

	@Test
	void laterJoinerSeesTheFirstAndTheFirstSeesItJoin() {
		Client a = this.harness.client();
		JsonNode aJoined = a.join(this.harness.token("c1", "nurse"));
		assertThat(aJoined.get("type").asString()).isEqualTo("joined");
		assertThat(aJoined.get("consultId").asString()).isEqualTo("c1");
		assertThat(aJoined.get("peers").isEmpty()).isTrue();
		Client b = this.harness.client();
		JsonNode bJoined = b.join(this.harness.token("c1", "so"));
		assertThat(bJoined.get("peers").get(0).get("peerId").asString()).isEqualTo(aJoined.get("peerId").asString());
		assertThat(bJoined.get("peers").get(0).get("userId").asString()).isEqualTo("nurse");
		JsonNode peerJoined = a.next();
		assertThat(peerJoined.get("type").asString()).isEqualTo("peer-joined");
		assertThat(peerJoined.get("peer").get("peerId").asString()).isEqualTo(bJoined.get("peerId").asString());
		assertThat(this.harness.events).containsExactly("joined nurse 1 false", "joined so 2 false");
	}

	@Test
	void negotiationIsRelayedWithTheServerStampedFrom() {
		Client[] pair = pair("c1");
		String a = peerId(pair, 0);
		String b = peerId(pair, 1);
		pair[1].send("{\"type\":\"offer\",\"to\":\"" + a + "\",\"from\":\"forged\",\"sdp\":\"v=0\"}");
		JsonNode offer = pair[0].next();
		assertThat(offer.get("type").asString()).isEqualTo("offer");
		assertThat(offer.get("from").asString()).isEqualTo(b);
		assertThat(offer.get("to").asString()).isEqualTo(a);
		pair[0].send("{\"type\":\"answer\",\"to\":\"" + b + "\",\"sdp\":\"v=0 answer\"}");
		assertThat(pair[1].next().get("from").asString()).isEqualTo(a);
		pair[0].send("{\"type\":\"ice\",\"to\":\"" + b
				+ "\",\"candidate\":{\"candidate\":\"candidate:1\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,"
				+ "\"usernameFragment\":\"u\"}}");
		JsonNode ice = pair[1].next();
		assertThat(ice.get("candidate").get("usernameFragment").asString()).isEqualTo("u");
		assertThat(ice.get("from").asString()).isEqualTo(a);
	}

	@Test
	void relayToAPeerOutsideTheRoomToSelfOrUnknownShouldAnswerNotInRoom() {
		Client[] first = pair("c1");
		Client[] second = pair("c2");
		String outsider = peerId(second, 0);
		for (String to : new String[] { outsider, "nobody", peerId(first, 0) }) {
			first[0].send("{\"type\":\"offer\",\"to\":\"" + to + "\",\"sdp\":\"v=0\"}");
			assertThat(first[0].error()).isEqualTo("signalling.not-in-room");
		}
		assertThat(second[0].unread()).isEmpty();
		first[0].send("{\"type\":\"ping\"}");
		assertThat(first[0].next().get("type").asString()).isEqualTo("pong");
	}

	@Test
	void messagesBeforeJoinAreRefusedButTheConnectionStaysUsable() {
		Client client = this.harness.client();
		client.send("{\"type\":\"offer\",\"to\":\"x\",\"sdp\":\"v=0\"}");
		assertThat(client.error()).isEqualTo("signalling.not-joined");
		client.send("{\"type\":\"ping\"}");
		assertThat(client.next().get("type").asString()).isEqualTo("pong");
		assertThat(client.join(this.harness.token("c1", "nurse")).get("type").asString()).isEqualTo("joined");
		assertThat(client.closed).isFalse();
	}

	@Test
	void badTokenIsAnsweredAndClosed() {
		Client client = this.harness.client();
		JsonNode error = client.join("forged");
		assertThat(error.get("code").asString()).isEqualTo("signalling.invalid-token");
		assertThat(client.closed).isTrue();
		Client blank = this.harness.client();
		blank.send("{\"type\":\"join\"}");
		assertThat(blank.error()).isEqualTo("signalling.invalid-token");
		assertThat(blank.closed).isTrue();
	}

	@Test
	void badFramesGetTheirOwnCodesAndTheConnectionStaysOpen() {
		Client client = pair("c1")[0];
		client.send("{oops");
		assertThat(client.error()).isEqualTo("signalling.malformed");
		client.send("{\"type\":\"dance\"}");
		assertThat(client.error()).isEqualTo("signalling.unknown-type");
		client.send("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
		assertThat(client.error()).isEqualTo("signalling.invalid-message");
		client.send("{\"type\":\"offer\",\"to\":\"x\"}");
		assertThat(client.error()).isEqualTo("signalling.invalid-message");
		client.send("{\"type\":\"ice\",\"to\":\"x\"}");
		assertThat(client.error()).isEqualTo("signalling.invalid-message");
		client.send("{\"type\":\"joined\",\"consultId\":\"c\",\"peerId\":\"p\",\"peers\":[],\"iceServers\":[]}");
		assertThat(client.error()).isEqualTo("signalling.not-allowed");
		client.send("{\"type\":\"join\",\"token\":\"again\"}");
		assertThat(client.error()).isEqualTo("signalling.already-joined");
		client.send("{\"type\":\"ping\",\"pad\":\"" + "é".repeat(33_000) + "\"}");
		assertThat(client.error()).isEqualTo("signalling.frame-too-large");
		assertThat(client.closed).isFalse();
	}

	@Test
	void floodIsRateLimitedWithOneErrorPerSecond() {
		EngineHarness limited = new EngineHarness(SignallingSettings.DEFAULTS.withMessageRate(10, 5),
				new PeerToPeerBroker());
		Client client = limited.client();
		client.join(limited.token("c1", "nurse"));
		for (int i = 0; i < 20; i++) {
			client.send("{\"type\":\"ping\"}");
		}
		assertThat(client.unread().stream().map((f) -> f.get("type").asString())).containsExactly("pong", "pong",
				"pong", "pong", "error");
		limited.advance(Duration.ofSeconds(1));
		client.send("{\"type\":\"ping\"}");
		assertThat(client.next().get("type").asString()).isEqualTo("pong");
	}

	@Test
	void roomFullRefusesAThirdUser() {
		EngineHarness small = new EngineHarness(SignallingSettings.DEFAULTS.withMaxPeersPerRoom(2),
				new PeerToPeerBroker());
		small.client().join(small.token("c1", "a"));
		small.client().join(small.token("c1", "b"));
		Client third = small.client();
		assertThat(third.join(small.token("c1", "c")).get("code").asString()).isEqualTo("signalling.room-full");
		assertThat(third.closed).isTrue();
	}

	@Test
	void droppedPeerKeepsItsPlaceAndRejoinsWithinGrace() {
		Client[] pair = pair("c1");
		String a = peerId(pair, 0);
		pair[0].connection.closed();
		this.harness.advance(Duration.ofSeconds(20));
		assertThat(pair[1].unread()).isEmpty();
		Client back = this.harness.client();
		JsonNode rejoined = back.join("c1:a");
		assertThat(rejoined.get("peerId").asString()).isEqualTo(a);
		assertThat(rejoined.get("peers")).hasSize(1);
		JsonNode again = pair[1].next();
		assertThat(again.get("type").asString()).isEqualTo("peer-joined");
		assertThat(again.get("peer").get("peerId").asString()).isEqualTo(a);
		this.harness.advance(Duration.ofSeconds(60));
		assertThat(pair[1].unread()).isEmpty();
		assertThat(this.harness.events).contains("joined a 2 true");
	}

	@Test
	void droppedPeerThatDoesNotReturnLeavesAfterGrace() {
		Client[] pair = pair("c1");
		String a = peerId(pair, 0);
		pair[0].connection.closed();
		this.harness.advance(Duration.ofSeconds(29));
		assertThat(pair[1].unread()).isEmpty();
		this.harness.advance(Duration.ofSeconds(2));
		JsonNode left = pair[1].next();
		assertThat(left.get("type").asString()).isEqualTo("peer-left");
		assertThat(left.get("peerId").asString()).isEqualTo(a);
		assertThat(this.harness.events).contains("left a GRACE_EXPIRED");
	}

	@Test
	void sameUserOnASecondConnectionReplacesTheFirst() {
		Client[] pair = pair("c1");
		Client second = this.harness.client();
		second.join("c1:a");
		assertThat(pair[0].error()).isEqualTo("signalling.replaced");
		assertThat(pair[0].closed).isTrue();
		pair[0].connection.closed();
		this.harness.advance(Duration.ofMinutes(1));
		assertThat(pair[1].unread().stream().map((f) -> f.get("type").asString())).containsExactly("peer-joined");
	}

	@Test
	void leaveTellsTheOthersAtOnceAndEmptyRoomsGo() {
		Client[] pair = pair("c1");
		pair[0].send("{\"type\":\"leave\"}");
		assertThat(pair[0].closed).isTrue();
		assertThat(pair[1].next().get("type").asString()).isEqualTo("peer-left");
		assertThat(this.harness.events).contains("left a LEFT");
		assertThat(this.harness.engine.roomCount()).isEqualTo(1);
		pair[1].send("{\"type\":\"leave\"}");
		assertThat(this.harness.engine.roomCount()).isZero();
	}

	@Test
	void closeRoomEndsEveryConnection() {
		Client[] pair = pair("c1");
		this.harness.engine.closeRoom("c1");
		for (Client client : pair) {
			JsonNode ended = client.next();
			assertThat(ended.get("type").asString()).isEqualTo("ended");
			assertThat(ended.get("consultId").asString()).isEqualTo("c1");
			assertThat(client.closed).isTrue();
		}
		assertThat(this.harness.events).contains("left a ROOM_CLOSED", "left b ROOM_CLOSED");
		assertThat(this.harness.engine.peerCount()).isZero();
	}

	@Test
	void mediaBrokerGetsStampedNegotiationAndItsFailureIsReported() {
		StringBuilder seen = new StringBuilder();
		EngineHarness failing = new EngineHarness(SignallingSettings.DEFAULTS, (room, message, relay) -> {
			seen.append(message.from()).append("->").append(message.to());
			return Mono.error(new IllegalStateException("media server down"));
		});
		Client a = failing.client();
		String aId = a.join(failing.token("c1", "a")).get("peerId").asString();
		Client b = failing.client();
		String bId = b.join(failing.token("c1", "b")).get("peerId").asString();
		b.send("{\"type\":\"offer\",\"to\":\"" + aId + "\",\"sdp\":\"v=0\"}");
		assertThat(seen.toString()).isEqualTo(bId + "->" + aId);
		assertThat(b.error()).isEqualTo("signalling.internal");
	}

	private Client[] pair(String room) {
		Client a = this.harness.client();
		a.join(this.harness.token(room, "a"));
		Client b = this.harness.client();
		b.join(this.harness.token(room, "b"));
		a.next();
		return new Client[] { a, b };
	}

	/** Peer id of a pair's member, from what the other was told. */
	private static String peerId(Client[] pair, int index) {
		return json(pair[index]);
	}

	private static String json(Client client) {
		return EngineHarness.json.readTree(client.frames.get(0)).get("peerId").asString();
	}

}
