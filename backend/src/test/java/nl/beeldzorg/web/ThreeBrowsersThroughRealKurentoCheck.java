package nl.beeldzorg.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import nl.beeldzorg.support.Browsers;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three Chromium pages (fake camera and microphone) in one consult whose media goes
 * through a <b>real</b> Kurento Media Server: the nurse on the glasses, the SO in the
 * app, and a zga nurse invited as the district nurse. Mode {@code sfu}, so no page has a
 * peer-to-peer connection: inbound video bytes that grow on every page came through the
 * SFU. Then a recording with consent: a non-empty WEBM file under the recordings
 * directory.
 * <p>
 * Not part of the default test run (the name ends in {@code Check}); run it with
 * {@code ./mvnw -pl backend -am test -Preal-kurento -Dkurento.url=ws://host:8888/kurento
 * -Drecordings.dir=/shared/dir}, with Kurento able to reach this machine's browsers (same
 * host, host network) and writing to the same directory at the same path (the volume of
 * infra/compose.yaml). Without {@code -Dkurento.url} it fails and says so. It was not run
 * where it was written: no Kurento Media Server runs there.
 */
class ThreeBrowsersThroughRealKurentoCheck extends DemoApplicationTests {

	/** Every RTCPeerConnection a page makes, so its inbound bytes can be summed. */
	private static final String KEEP_CONNECTIONS = """
			(() => {
			  const Original = window.RTCPeerConnection;
			  window.__connections = [];
			  window.RTCPeerConnection = function (...args) {
			    const pc = new Original(...args);
			    window.__connections.push(pc);
			    return pc;
			  };
			  window.RTCPeerConnection.prototype = Original.prototype;
			})();""";

	private static final String INBOUND_VIDEO_BYTES = """
			async () => {
			  let bytes = 0;
			  for (const pc of window.__connections || []) {
			    if (pc.connectionState === 'closed') { continue; }
			    (await pc.getStats()).forEach((s) => {
			      if (s.type === 'inbound-rtp' && s.kind === 'video') { bytes += s.bytesReceived; }
			    });
			  }
			  return bytes;
			}""";

	private static final String MODE = "(name) => window[name] && window[name].call ? window[name].call.mode : null";

	@DynamicPropertySource
	static void realKurento(DynamicPropertyRegistry registry) {
		String url = kurentoUrl();
		String database = H2TestDatabase.create("beeldzorg-real-kurento");
		registry.add("beeldzorg.database.url", () -> database);
		registry.add("beeldzorg.media.mode", () -> "sfu");
		registry.add("beeldzorg.media.kurento-urls", () -> url);
		registry.add("beeldzorg.recordings.directory", () -> recordings().toString());
	}

	static String kurentoUrl() {
		String url = System.getProperty("kurento.url", "");
		if (url.isBlank() || url.startsWith("${")) {
			throw new IllegalStateException("This check needs a real Kurento Media Server: run it with "
					+ "-Preal-kurento -Dkurento.url=ws://host:8888/kurento (see README, 'Media through Kurento')");
		}
		return url;
	}

	static Path recordings() {
		String dir = System.getProperty("recordings.dir", "");
		Path path = (dir.isBlank() || dir.startsWith("${")) ? Path.of("/tmp/beeldzorg-real-kurento-recordings")
				: Path.of(dir);
		try {
			return Files.createDirectories(path).toAbsolutePath();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void glassesSoAndDistrictNurseSeeEachOtherThroughKurentoAndARecordingIsWritten() throws Exception {
		try (Browsers browsers = Browsers.launch()) {
			String base = "http://127.0.0.1:" + this.port;
			Page glasses = page(browsers, base + "/glasses/?trace=1&as=nurse.anna");
			Page so = page(browsers, base + "/app/?trace=1&as=so.sophie");
			glasses.locator("#locations button").first().waitFor();
			so.locator("#live").filter(new Locator.FilterOptions().setHasText("Live")).waitFor();

			glasses.locator("#locations button").first().click();
			glasses.locator("#client-ref").fill("K-KMS-1");
			glasses.locator("#start").click();
			glasses.locator("#call").waitFor();
			so.locator("#ringing .accept").first().click();
			so.locator("#call").waitFor();

			String id = (String) glasses.evaluate("() => window.beeldzorgGlasses.consult.id");
			String sophie = this.api.token("so.sophie");
			this.api.post("/api/v1/consults/" + id + "/invite", sophie,
					Map.of("userId", this.api.userId("admin.ada"), "reason", "wijkverpleging"), HttpStatus.OK);
			Page districtNurse = page(browsers, base + "/app/?trace=1&as=admin.ada&consult=" + id);
			districtNurse.locator("#call").waitFor();

			Map<Page, String> globals = Map.of(glasses, "beeldzorgGlasses", so, "beeldzorgApp", districtNurse,
					"beeldzorgApp");
			for (Map.Entry<Page, String> entry : globals.entrySet()) {
				await().atMost(Duration.ofSeconds(30))
					.until(() -> "sfu".equals(entry.getKey().evaluate(MODE, entry.getValue())));
			}
			for (Page page : List.of(glasses, so, districtNurse)) {
				long before = bytes(page);
				await().atMost(Duration.ofSeconds(45))
					.pollInterval(Duration.ofMillis(500))
					.until(() -> bytes(page) > before + 50_000);
			}

			String recordingId = this.api
				.post("/api/v1/consults/" + id + "/recording", sophie, Map.of("consent", Map.of("givenBy", "CLIENT")),
						HttpStatus.CREATED)
				.get("recordingId")
				.asString();
			// Record a few seconds of the moving test pattern.
			long recordedFrom = bytes(so);
			await().atMost(Duration.ofSeconds(30)).until(() -> bytes(so) > recordedFrom + 200_000);
			JsonNode stopped = this.api.send(HttpMethod.DELETE, "/api/v1/consults/" + id + "/recording", sophie, null,
					HttpStatus.OK);
			assertThat(stopped.get("sizeBytes").asLong()).isPositive();
			Path file = recordings().resolve("zga").resolve(id).resolve(recordingId + ".webm");
			assertThat(file).exists();
			assertThat(Files.size(file)).isGreaterThan(10_000);
			try (InputStream in = Files.newInputStream(file)) {
				byte[] magic = in.readNBytes(4);
				assertThat(magic).as("an EBML (WEBM) header")
					.containsExactly((byte) 0x1A, (byte) 0x45, (byte) 0xDF, (byte) 0xA3);
			}
			this.api.post("/api/v1/consults/" + id + "/end", sophie, HttpStatus.OK);
		}
	}

	private static Page page(Browsers browsers, String url) {
		Page page = browsers.page(1000, 800);
		page.addInitScript(KEEP_CONNECTIONS);
		page.navigate(url);
		return page;
	}

	private static long bytes(Page page) {
		return ((Number) page.evaluate(INBOUND_VIDEO_BYTES)).longValue();
	}

}
