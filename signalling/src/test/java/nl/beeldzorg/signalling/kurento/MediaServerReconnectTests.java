package nl.beeldzorg.signalling.kurento;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.kurento.client.KurentoClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A media server whose Kurento client stops trying (it closed for good, as it does after
 * a reconnect that fails half-way) gets a new client and counts its objects as lost;
 * against the protocol stand-in (Kurento Media Server cannot run here).
 */
class MediaServerReconnectTests {

	@Test
	void aClientThatGaveUpIsReplacedAndTheServerComesBackWithItsObjectsCountedLost() {
		List<String> heard = new CopyOnWriteArrayList<>();
		try (KurentoProtocolStandIn kms = KurentoProtocolStandIn.start()) {
			MediaServer server = new MediaServer(kms.url(), Duration.ofMillis(500), new MediaServer.Events() {

				@Override
				public void up(MediaServer server) {
					heard.add("up");
				}

				@Override
				public void down(MediaServer server) {
					heard.add("down");
				}

				@Override
				public void lost(MediaServer server) {
					heard.add("lost");
				}

			});
			try {
				server.start();
				await().atMost(Duration.ofSeconds(10)).until(() -> server.state() == MediaServer.State.UP);
				KurentoClient first = server.client();
				assertThat(first).isNotNull();
				server.pipelineMade(server.generation(), 1);
				server.endpointMade(server.generation(), 2);

				// The client closes for good: it will not reconnect by itself.
				first.destroy();
				await().atMost(Duration.ofSeconds(5)).until(() -> server.state() == MediaServer.State.DOWN);
				await().atMost(MediaServer.REPLACE_AFTER.plusSeconds(10))
					.until(() -> server.state() == MediaServer.State.UP);

				assertThat(server.client()).isNotNull().isNotSameAs(first);
				assertThat(server.generation()).isEqualTo(1);
				assertThat(server.pipelines()).isZero();
				assertThat(server.endpoints()).isZero();
				assertThat(heard).containsExactly("up", "down", "up", "lost");
				// The new client works: the server answers it.
				assertThat(server.client().createMediaPipeline()).isNotNull();
				assertThat(kms.live("MediaPipeline")).isEqualTo(1);
			}
			finally {
				server.close();
			}
		}
	}

}
