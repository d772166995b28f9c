package nl.beeldzorg.signalling;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import nl.beeldzorg.signalling.EngineHarness.Client;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentRelayTests {

	private static final int ROOMS = 200;

	private static final int MESSAGES = 50;

	@Test
	void relayingFromManyThreadsLosesAndReordersNothing() throws Exception {
		EngineHarness harness = new EngineHarness(SignallingSettings.DEFAULTS.withMessageRate(100_000, 100_000),
				new PeerToPeerBroker());
		List<Client[]> pairs = new ArrayList<>();
		for (int r = 0; r < ROOMS; r++) {
			Client a = harness.client();
			String aId = a.join(harness.token("room-" + r, "a")).get("peerId").asString();
			Client b = harness.client();
			String bId = b.join(harness.token("room-" + r, "b")).get("peerId").asString();
			a.next();
			pairs.add(new Client[] { a, b });
			a.frames.clear();
			b.frames.clear();
			a.frames.add(aId);
			b.frames.add(bId);
		}
		ExecutorService threads = Executors.newFixedThreadPool(4);
		CountDownLatch done = new CountDownLatch(ROOMS * 2);
		for (Client[] pair : pairs) {
			String aId = pair[0].frames.get(0);
			String bId = pair[1].frames.get(0);
			threads.submit(() -> send(pair[0], bId, done));
			threads.submit(() -> send(pair[1], aId, done));
		}
		assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
		threads.shutdown();
		for (Client[] pair : pairs) {
			for (Client receiver : pair) {
				List<String> frames = receiver.frames.subList(1, receiver.frames.size());
				assertThat(frames).hasSize(MESSAGES);
				for (int i = 0; i < MESSAGES; i++) {
					JsonNode ice = EngineHarness.json.readTree(frames.get(i));
					assertThat(ice.get("candidate").get("candidate").asString()).isEqualTo("candidate:" + i);
				}
			}
		}
	}

	private static void send(Client from, String to, CountDownLatch done) {
		for (int i = 0; i < MESSAGES; i++) {
			from.send("{\"type\":\"ice\",\"to\":\"" + to + "\",\"candidate\":{\"candidate\":\"candidate:" + i + "\"}}");
		}
		done.countDown();
	}

}
