package nl.beeldzorg.signalling;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import nl.beeldzorg.signalling.EngineHarness.Client;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that shuts down tells its peers to {@code reconnect} and lets them go; they keep
 * their places for the grace, and a socket that still arrives is sent on at once.
 */
class DrainTests {

	private final EngineHarness harness = new EngineHarness();

	@Test
	void drainingSendsEveryPeerReconnectFirstThenClosesAndKeepsTheirPlaces() {
		Client a = this.harness.client();
		Client b = this.harness.client();
		a.join(this.harness.token("c1", "a"));
		b.join(this.harness.token("c1", "b"));
		assertThat(a.next().get("type").asString()).isEqualTo("peer-joined");

		AtomicBoolean drained = new AtomicBoolean();
		this.harness.engine.drain(Duration.ofSeconds(10)).subscribe(null, null, () -> drained.set(true));
		for (Client client : new Client[] { a, b }) {
			JsonNode reconnect = client.next();
			assertThat(reconnect.get("type").asString()).isEqualTo("reconnect");
			assertThat(reconnect.get("reason").asString()).isEqualTo("shutdown");
			assertThat(reconnect.get("retryAfterMs").asLong()).isZero();
			assertThat(client.closed).as("the server lets the socket go").isTrue();
			assertThat(client.unread()).isEmpty();
		}
		this.harness.advance(Duration.ofMillis(100));
		assertThat(drained).as("not while sockets are open").isFalse();
		// The transport notices the sockets went.
		a.connection.closed();
		b.connection.closed();
		this.harness.advance(Duration.ofMillis(100));
		assertThat(drained).isTrue();
		assertThat(this.harness.engine.peerCount()).as("places kept for the grace").isEqualTo(2);

		Client late = this.harness.client();
		JsonNode sentOn = late.next();
		assertThat(sentOn.get("type").asString()).isEqualTo("reconnect");
		assertThat(sentOn.get("retryAfterMs").asLong()).isPositive();
		assertThat(late.closed).isTrue();
	}

}
