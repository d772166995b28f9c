package nl.beeldzorg.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Page;
import nl.beeldzorg.signalling.kurento.KurentoProtocolStandIn;
import nl.beeldzorg.support.CallPages;
import nl.beeldzorg.support.CallPagesTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pages' recovery paths carrying real media, against the Kurento protocol stand-in in
 * its media mode (each WebRtcEndpoint a real WebRTC peer in the JVM): a two-party consult
 * in mode {@code sfu} sees each other through the SFU; the media server restarts
 * ({@code media-server-restarted}) and the pages publish and subscribe again and video
 * flows again through new subscriptions; then no media server is left
 * ({@code media-server-unreachable}) and the two fall back to peer to peer, video flowing
 * between them.
 */
// Its stand-in stops with the class: a cached context would keep reconnecting to it.
@DirtiesContext
@TestPropertySource(properties = { "beeldzorg.media.mode=sfu", "beeldzorg.media.failover-after=2s",
		"beeldzorg.media.probe-interval=500ms" })
class SfuMediaRecoveryInBrowsersTests extends CallPagesTests {

	static final KurentoProtocolStandIn kurento = KurentoProtocolStandIn.startWithMedia();

	/**
	 * Video bytes received from the other participant over 700 ms, on its SFU
	 * subscription (only if shown, and not one marked as old) and on the peer-to-peer
	 * connection.
	 */
	private static final String GROWTH = """
			async ([name, other]) => {
			  const call = window[name].call;
			  const video = async (pc) => { let b = 0; if (!pc) { return 0; } (await pc.getStats()).forEach((s) => {
			    if (s.type === "inbound-rtp" && s.kind === "video") { b += s.bytesReceived || 0; } }); return b; };
			  const sub = call.subs.get(other);
			  const sfu = sub && sub.shown && !sub.pc.old ? sub.pc : null;
			  const entry = call.peers.get(other);
			  const p2p = entry && entry.pc && entry.pc.connectionState === "connected" ? entry.pc : null;
			  const before = [await video(sfu), await video(p2p)];
			  await new Promise((resolve) => setTimeout(resolve, 700));
			  return { sfu: sfu ? (await video(sfu)) - before[0] : -1, p2p: p2p ? (await video(p2p)) - before[1] : -1, mode: call.mode };
			}""";

	@DynamicPropertySource
	static void sfu(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-sfu-recovery");
		registry.add("beeldzorg.database.url", () -> url);
		registry.add("beeldzorg.media.kurento-urls", kurento::url);
	}

	@AfterAll
	static void stopKurento() {
		kurento.close();
	}

	@Test
	void afterARestartTheSfuCarriesVideoAgainAndWithoutAMediaServerThePairFallsBackToPeerToPeer() {
		Page glasses = this.pages.glasses();
		Page app = this.pages.app();
		this.pages.startConsult("K-4711");
		CallPages.visible(app, "#ringing .accept");
		this.pages.accept();
		await().atMost(Duration.ofSeconds(20)).until(() -> peerId(app, CallPages.APP) != null);
		String glassesPeer = peerId(glasses, CallPages.GLASSES);
		String appPeer = peerId(app, CallPages.APP);
		Map<Page, String[]> sides = Map.of(glasses, new String[] { CallPages.GLASSES, appPeer }, app,
				new String[] { CallPages.APP, glassesPeer });

		// Through the SFU from the start: video from the other side on the subscription.
		sides.forEach((page, side) -> await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(bytes(page, side, "sfu")).as(side[0] + " via SFU").isPositive()));
		assertThat(kurento.connectedEndpoints()).as("2 published, 2 subscriptions").isEqualTo(4);

		// The media server restarts: every object gone; the pages publish and subscribe
		// again and video flows through the new subscriptions.
		sides.forEach((page, side) -> page.evaluate(
				"([name, other]) => { window[name].call.subs.get(other).pc.old = true; window[name].call.sfu.pc.old = true; }",
				List.of(side)));
		kurento.restart();
		sides.forEach((page, side) -> await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
			assertThat(log(page, side[0])).contains("media sfu media-server-restarted");
			assertThat(bytes(page, side, "sfu")).as(side[0] + " via SFU after the restart").isPositive();
		}));
		assertThat(kurento.restarts()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> kurento.connectedEndpoints() == 4);

		// No media server left: back to peer to peer, video between the two.
		kurento.stop();
		sides.forEach((page, side) -> await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
			assertThat(log(page, side[0])).contains("media p2p media-server-unreachable");
			Map<String, Object> grown = growth(page, side);
			assertThat(grown.get("mode")).isEqualTo("p2p");
			assertThat(((Number) grown.get("p2p")).longValue()).as(side[0] + " peer to peer").isPositive();
		}));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> growth(Page page, String[] side) {
		return (Map<String, Object>) page.evaluate(GROWTH, List.of(side));
	}

	private static long bytes(Page page, String[] side, String path) {
		return ((Number) growth(page, side).get(path)).longValue();
	}

	@SuppressWarnings("unchecked")
	private static List<String> log(Page page, String global) {
		return (List<String>) page.evaluate("(name) => window[name].call ? window[name].call.mediaLog.slice() : []",
				global);
	}

	private static String peerId(Page page, String global) {
		return (String) page.evaluate("(name) => window[name] && window[name].call ? window[name].call.peerId : null",
				global);
	}

}
