package nl.beeldzorg.signalling;

import java.time.Duration;

import nl.beeldzorg.signalling.EngineHarness.Client;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A socket that never joins is closed after the join timeout, on the engine's (virtual)
 * clock; a joined one is not.
 */
class JoinTimeoutTests {

	@Test
	void socketThatNeverJoinsGetsJoinTimeoutAndIsClosed() {
		EngineHarness harness = new EngineHarness();
		Client client = harness.client();
		harness.advance(Duration.ofMillis(9_999));
		assertThat(client.frames).isEmpty();
		assertThat(client.closed).isFalse();
		harness.advance(Duration.ofMillis(1));
		JsonNode error = client.next();
		assertThat(error.get("type").asString()).isEqualTo("error");
		assertThat(error.get("code").asString()).isEqualTo("signalling.join-timeout");
		assertThat(client.closed).isTrue();
	}

	@Test
	void pingsAndRefusedMessagesDoNotKeepAnUnjoinedSocketOpen() {
		EngineHarness harness = new EngineHarness(SignallingSettings.DEFAULTS.withJoinTimeout(Duration.ofSeconds(3)),
				new PeerToPeerBroker());
		Client client = harness.client();
		for (int i = 0; i < 2; i++) {
			client.send("{\"type\":\"ping\"}");
			assertThat(client.next().get("type").asString()).isEqualTo("pong");
			client.send("{\"type\":\"offer\",\"to\":\"x\",\"sdp\":\"v=0\"}");
			assertThat(client.error()).isEqualTo("signalling.not-joined");
			harness.advance(Duration.ofSeconds(1));
		}
		assertThat(client.closed).isFalse();
		harness.advance(Duration.ofSeconds(1));
		assertThat(client.error()).isEqualTo("signalling.join-timeout");
		assertThat(client.closed).isTrue();
		client.send("{\"type\":\"join\",\"token\":\"" + harness.token("c1", "late") + "\"}");
		assertThat(client.unread()).isEmpty();
		assertThat(harness.engine.peerCount()).isZero();
	}

	@Test
	void joinedSocketOutlivesTheJoinTimeout() {
		EngineHarness harness = new EngineHarness();
		Client client = harness.client();
		harness.advance(Duration.ofSeconds(9));
		assertThat(client.join(harness.token("c1", "nurse")).get("type").asString()).isEqualTo("joined");
		harness.advance(Duration.ofMinutes(5));
		assertThat(client.unread()).isEmpty();
		assertThat(client.closed).isFalse();
		assertThat(harness.engine.peerCount()).isEqualTo(1);
	}

	@Test
	void joinTimeoutMustBePositive() {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> SignallingSettings.DEFAULTS.withJoinTimeout(Duration.ZERO));
	}

}
