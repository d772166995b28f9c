package nl.beeldzorg.signalling;

import java.time.Duration;

import nl.beeldzorg.signalling.EngineHarness.Client;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code media-state} (API.md v1.1): passed to the backend, never relayed, stats at most
 * every 10 s per peer, repeats without news dropped, bad states refused with a code.
 */
class MediaStateTests {

	private final EngineHarness harness = new EngineHarness();

	private static final String STATS = ",\"stats\":{\"rttMs\":42,\"lossPct\":0.3,\"kbpsIn\":1210,\"kbpsOut\":980,"
			+ "\"width\":1280,\"height\":720,\"relay\":false}";

	@Test
	void statesAndStatsReachTheObserverButNoOtherPeer() {
		Client[] pair = pair();
		pair[0].send("{\"type\":\"media-state\",\"state\":\"connecting\"}");
		pair[0].send("{\"type\":\"media-state\",\"state\":\"connected\"" + STATS + "}");
		assertThat(media()).containsExactly("media nurse connecting", "media nurse connected rtt=42.0");
		assertThat(pair[0].unread()).isEmpty();
		assertThat(pair[1].unread()).isEmpty();
	}

	@Test
	void statsMoreOftenThanEveryTenSecondsAreIgnoredSilently() {
		Client[] pair = pair();
		pair[0].send("{\"type\":\"media-state\",\"state\":\"connected\"" + STATS + "}");
		this.harness.advance(Duration.ofSeconds(2));
		pair[0].send("{\"type\":\"media-state\",\"state\":\"connected\"" + STATS.replace("42", "43") + "}");
		this.harness.advance(Duration.ofSeconds(3));
		// A change of state still passes, without the early stats.
		pair[0].send("{\"type\":\"media-state\",\"state\":\"disconnected\"" + STATS.replace("42", "44") + "}");
		this.harness.advance(Duration.ofSeconds(5));
		pair[0].send("{\"type\":\"media-state\",\"state\":\"connected\"" + STATS.replace("42", "45") + "}");
		// Another peer has its own interval.
		pair[1].send("{\"type\":\"media-state\",\"state\":\"connected\"" + STATS.replace("42", "46") + "}");
		assertThat(media()).containsExactly("media nurse connected rtt=42.0", "media nurse disconnected",
				"media nurse connected rtt=45.0", "media so connected rtt=46.0");
		assertThat(pair[0].unread()).isEmpty();
	}

	@Test
	void aRepeatedStateWithoutStatsIsNotPassedAgain() {
		Client[] pair = pair();
		pair[0].send("{\"type\":\"media-state\",\"state\":\"connecting\"}");
		pair[0].send("{\"type\":\"media-state\",\"state\":\"connecting\"}");
		pair[0].send("{\"type\":\"media-state\",\"state\":\"failed\"}");
		assertThat(media()).containsExactly("media nurse connecting", "media nurse failed");
	}

	@Test
	void aBadStateOrStatsOutOfRangeIsRefusedWithItsCode() {
		Client[] pair = pair();
		pair[0].send("{\"type\":\"media-state\",\"state\":\"flowing\"}");
		assertThat(pair[0].error()).isEqualTo("signalling.invalid-media-state");
		pair[0].send("{\"type\":\"media-state\"}");
		assertThat(pair[0].error()).isEqualTo("signalling.invalid-media-state");
		pair[0].send("{\"type\":\"media-state\",\"state\":\"connected\",\"stats\":{\"lossPct\":140}}");
		assertThat(pair[0].error()).isEqualTo("signalling.invalid-media-state");
		pair[0].send("{\"type\":\"media-state\",\"state\":\"connected\",\"stats\":{\"rttMs\":-1}}");
		assertThat(pair[0].error()).isEqualTo("signalling.invalid-media-state");
		assertThat(media()).isEmpty();
		assertThat(pair[0].closed).isFalse();
	}

	@Test
	void aMediaStateBeforeJoinIsRefused() {
		Client client = this.harness.client();
		client.send("{\"type\":\"media-state\",\"state\":\"connected\"}");
		assertThat(client.error()).isEqualTo("signalling.not-joined");
		assertThat(media()).isEmpty();
	}

	private java.util.List<String> media() {
		return this.harness.events.stream().filter((e) -> e.startsWith("media ")).toList();
	}

	private Client[] pair() {
		Client a = this.harness.client();
		a.join(this.harness.token("c1", "nurse"));
		Client b = this.harness.client();
		b.join(this.harness.token("c1", "so"));
		a.next();
		return new Client[] { a, b };
	}

}
