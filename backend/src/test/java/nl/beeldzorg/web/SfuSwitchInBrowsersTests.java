package nl.beeldzorg.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Page;
import nl.beeldzorg.signalling.kurento.KurentoProtocolStandIn;
import nl.beeldzorg.support.CallPages;
import nl.beeldzorg.support.CallPagesTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code auto} media mode in the pages, against the Kurento protocol stand-in (it
 * answers offers with SDP a browser accepts but moves no media): two parties talk peer to
 * peer; when a third joins, the two get {@code peer-joined} and then {@code media sfu},
 * each publishes to the peer "sfu" and subscribes to each other participant, and gets the
 * SFU's answers; the newcomer, told {@code media:"sfu"} in {@code joined}, only publishes
 * and subscribes. Since the stand-in never connects, the peer-to-peer connections stay
 * and the picture does not break.
 */
class SfuSwitchInBrowsersTests extends CallPagesTests {

	static final KurentoProtocolStandIn kurento = KurentoProtocolStandIn.start();

	@DynamicPropertySource
	static void auto(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-sfu-pages");
		registry.add("beeldzorg.database.url", () -> url);
		registry.add("beeldzorg.media.mode", () -> "auto");
		registry.add("beeldzorg.media.kurento-urls", kurento::url);
	}

	@AfterAll
	static void stopKurento() {
		kurento.close();
	}

	@SuppressWarnings("unchecked")
	private static List<String> log(Page page, String global) {
		return (List<String>) page.evaluate("(name) => window[name].call ? window[name].call.mediaLog.slice() : []",
				global);
	}

	private static String peerId(Page page, String global) {
		return (String) page.evaluate("(name) => window[name].call.peerId", global);
	}

	@Test
	void aThirdParticipantMovesTheCallToTheSfuInTheRightOrderWithoutBreakingThePicture() {
		Page glasses = this.pages.glasses();
		Page app = this.pages.app();
		this.pages.startConsult("K-4711");
		CallPages.visible(app, "#ringing .accept");
		this.pages.accept();
		CallPages.awaitMediaFlowing(glasses, CallPages.GLASSES, Duration.ofSeconds(20));
		CallPages.awaitMediaFlowing(app, CallPages.APP, Duration.ofSeconds(20));
		assertThat(log(glasses, CallPages.GLASSES)).as("two parties: peer to peer")
			.noneMatch((line) -> line.contains("sfu"));
		assertThat(kurento.count("create", "WebRtcEndpoint")).isZero();

		String id = (String) glasses.evaluate("() => window.beeldzorgGlasses.consult.id");
		String sophie = this.api.token("so.sophie");
		this.api.post("/api/v1/consults/" + id + "/invite", sophie,
				Map.of("userId", this.api.userId("ba.bas"), "reason", "tweede mening"), HttpStatus.OK);
		Page bas = this.browsers.page(1000, 800);
		bas.navigate("http://127.0.0.1:" + this.port + "/app/?trace=1&as=ba.bas&consult=" + id);
		bas.locator("#call").waitFor();

		String glassesPeer = peerId(glasses, CallPages.GLASSES);
		String appPeer = peerId(app, CallPages.APP);
		await().atMost(Duration.ofSeconds(20)).until(() -> peerIdOrNull(bas) != null);
		String basPeer = peerIdOrNull(bas);

		// The two who were there: peer-joined first, then media sfu, publish, subscribe
		// to each other participant, and the SFU's answers.
		Map<Page, List<String>> others = Map.of(glasses, List.of(appPeer, basPeer), app, List.of(glassesPeer, basPeer));
		for (Map.Entry<Page, List<String>> entry : others.entrySet()) {
			String global = (entry.getKey() == glasses) ? CallPages.GLASSES : CallPages.APP;
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(log(entry.getKey(), global)).contains("answer sfu",
						"answer sfu subscribe " + entry.getValue().get(0),
						"answer sfu subscribe " + entry.getValue().get(1)));
			List<String> seen = log(entry.getKey(), global);
			assertThat(seen).as(global)
				.containsSubsequence("peer-joined " + basPeer, "media sfu third-participant", "offer sfu",
						"answer sfu");
			for (String other : entry.getValue()) {
				assertThat(seen).as(global)
					.containsSubsequence("media sfu third-participant", "offer sfu", "offer sfu subscribe " + other,
							"answer sfu subscribe " + other);
			}
			assertThat(seen).as(global + ": nothing refused").noneMatch((line) -> line.contains("refused"));
		}
		// The newcomer: joined through the SFU, publishes and subscribes to both.
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(log(bas, CallPages.APP)).contains("answer sfu",
					"answer sfu subscribe " + glassesPeer, "answer sfu subscribe " + appPeer));
		assertThat(log(bas, CallPages.APP)).containsSubsequence("joined sfu", "offer sfu", "answer sfu")
			.doesNotContain("media sfu third-participant");

		// Three published streams and six subscriptions, each offer answered once.
		assertThat(kurento.count("invoke", "processOffer")).isEqualTo(9);
		// The stand-in moves no media: the SFU path never connects, so the two keep
		// their peer-to-peer connection and still see and hear each other.
		List<String> lines = new ArrayList<>(log(glasses, CallPages.GLASSES));
		assertThat(lines).noneMatch((line) -> line.startsWith("p2p media stopped"));
		assertThat(flowing(glasses, CallPages.GLASSES, appPeer)).isTrue();
		assertThat(flowing(app, CallPages.APP, glassesPeer)).isTrue();
	}

	private static String peerIdOrNull(Page page) {
		return (String) page.evaluate("() => window.beeldzorgApp && window.beeldzorgApp.call"
				+ " && window.beeldzorgApp.call.mode === 'sfu' ? window.beeldzorgApp.call.peerId : null");
	}

	/** Whether the peer-to-peer connection to that peer still brings audio and video. */
	private static boolean flowing(Page page, String global, String peerId) {
		return Boolean.TRUE.equals(page.evaluate(
				"""
						async ([name, peer]) => {
						  const entry = window[name].call.peers.get(peer);
						  if (!entry || !entry.pc) { return false; }
						  const bytes = async () => { let a = 0; let v = 0; (await entry.pc.getStats()).forEach((s) => {
						    if (s.type === "inbound-rtp") { if (s.kind === "audio") { a += s.bytesReceived; } else { v += s.bytesReceived; } } }); return [a, v]; };
						  const before = await bytes();
						  await new Promise((resolve) => setTimeout(resolve, 700));
						  const after = await bytes();
						  return entry.pc.connectionState === "connected" && after[0] > before[0] && after[1] > before[1];
						}""",
				List.of(global, peerId)));
	}

}
