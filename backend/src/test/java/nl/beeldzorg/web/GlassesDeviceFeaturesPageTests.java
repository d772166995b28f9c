package nl.beeldzorg.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Page;
import nl.beeldzorg.support.Browsers;
import nl.beeldzorg.support.CallPages;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the glasses page does with the glasses app's bridge beyond sign-in: "SCANNEN"
 * picks the location from a ward's label through the glasses' barcode app, and
 * "INZOOMEN"/"UITZOOMEN" zoom the camera track. The bridge here is a stand-in the test
 * injects (the real one is tested with Robolectric in android-client); the camera track's
 * zoom is stubbed, since Chromium's fake camera does not zoom.
 */
class GlassesDeviceFeaturesPageTests extends DemoApplicationTests {

	private static final String DEVICE = "bril-features01";

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-glasses-device-features");
		registry.add("beeldzorg.database.url", () -> url);
	}

	/**
	 * A stand-in bridge: the demo nurse's token, this device, and, as asked, a barcode
	 * app (that "reads" {@code window.nextLabel}) and a camera zoom range.
	 */
	private static String bridge(boolean barcodeReader, String cameraZoom) {
		return """
				(() => {
				  const request = new XMLHttpRequest();
				  request.open("POST", "/demo/token", false);
				  request.setRequestHeader("Content-Type", "application/json");
				  request.send(JSON.stringify({ username: "nurse.anna" }));
				  const token = JSON.parse(request.responseText).accessToken;
				  window.scans = 0;
				  window.delivered = 0;
				  window.BeeldzorgApp = {
				    deviceId() { return "%s"; },
				    accessToken() { return token; },
				    signOut() { },
				    hasBarcodeReader() { return %s; },
				    scanBarcode() {
				      window.scans++;
				      const detail = window.nextLabel === null ? { cancelled: true } : { text: window.nextLabel };
				      setTimeout(() => {
				        window.dispatchEvent(new CustomEvent("beeldzorg-barcode", { detail }));
				        window.delivered++;
				      }, 50);
				      return true;
				    },
				    cameraZoom() { return %s; }
				  };
				})();
				""".formatted(DEVICE, barcodeReader, (cameraZoom != null) ? "'" + cameraZoom + "'" : "null");
	}

	/** The camera track zooms from 1 to 5 in steps of 0.1; what the page asks is kept. */
	private static final String ZOOMING_TRACK = """
			(() => {
			  window.zoomsAsked = [];
			  const proto = MediaStreamTrack.prototype;
			  const capabilities = proto.getCapabilities;
			  const settings = proto.getSettings;
			  const apply = proto.applyConstraints;
			  proto.getCapabilities = function () {
			    const c = capabilities.call(this);
			    return this.kind === "video" ? Object.assign({}, c, { zoom: { min: 1, max: 5, step: 0.1 } }) : c;
			  };
			  proto.getSettings = function () {
			    const s = settings.call(this);
			    return this.kind === "video" ? Object.assign({}, s, { zoom: this.zoomNow || 1 }) : s;
			  };
			  proto.applyConstraints = function (constraints) {
			    const zoom = constraints && constraints.advanced && constraints.advanced[0] && constraints.advanced[0].zoom;
			    if (this.kind === "video" && zoom !== undefined) {
			      this.zoomNow = zoom;
			      window.zoomsAsked.push(zoom);
			      return Promise.resolve();
			    }
			    return apply.call(this, constraints);
			  };
			})();
			""";

	private void pair(String... locationIds) {
		this.api.put("/api/v1/admin/glasses/" + DEVICE, this.api.token("admin.ada"),
				Map.of("name", "Bril Apeldoorn-Noord", "locationIds", List.of(locationIds)), HttpStatus.OK);
	}

	private Page glasses(Browsers browsers, String... initScripts) {
		Page glasses = browsers.page(854, 480);
		for (String script : initScripts) {
			glasses.addInitScript(script);
		}
		glasses.navigate("http://127.0.0.1:" + this.port + "/glasses/");
		glasses.waitForFunction("() => window.beeldzorgGlasses && window.beeldzorgGlasses.eventsOpen === true");
		return glasses;
	}

	@Test
	void scannenPicksTheLocationFromTheWardsLabel() throws Exception {
		pair("zga-de-sprengel", "zga-berg-en-bos");
		try (Browsers browsers = Browsers.launch()) {
			Page glasses = glasses(browsers, bridge(true, null));
			CallPages.visible(glasses, "#scan-location");
			assertThat(glasses.locator("#scan-location").textContent()).isEqualTo("SCANNEN");
			assertThat(glasses.locator("#locations button").count()).isEqualTo(2);

			// Another institution's location, or anything else, is not these glasses'.
			glasses.evaluate("() => { window.nextLabel = 'atlant-sparrenheuvel'; }");
			glasses.locator("#scan-location").click();
			CallPages.visible(glasses, "#location-message");
			assertThat(glasses.locator("#location-message").textContent())
				.isEqualTo("Deze code is geen locatie van deze bril. Kies de locatie.");
			assertThat(glasses.locator("#home").isVisible()).isTrue();

			// Cancelled in the barcode app: nothing changes, no message.
			glasses.evaluate("() => { window.nextLabel = null; }");
			glasses.locator("#scan-location").click();
			glasses.waitForFunction("() => window.delivered === 2");
			assertThat(glasses.locator("#home").isVisible()).isTrue();

			// An empty read is unreadable.
			glasses.evaluate("() => { window.nextLabel = '   '; }");
			glasses.locator("#scan-location").click();
			glasses.waitForFunction(
					"() => document.getElementById('location-message').textContent.startsWith('De code is niet gelezen')");

			glasses.evaluate("() => { window.nextLabel = ' ZGA-Berg-en-Bos\\n'; }");
			glasses.locator("#scan-location").click();
			CallPages.visible(glasses, "#client-step");
			assertThat(glasses.locator("#location-shown").textContent()).isEqualTo("Berg en Bos");
			assertThat(glasses.evaluate("() => window.beeldzorgGlasses.location")).isEqualTo("zga-berg-en-bos");
			assertThat(browsers.policyViolations()).isEmpty();
		}
	}

	@Test
	void noScannenWithoutTheAppOrWithoutABarcodeApp() {
		pair("zga-de-sprengel", "zga-berg-en-bos");
		try (Browsers browsers = Browsers.launch()) {
			Page withoutReader = glasses(browsers, bridge(false, null));
			CallPages.visible(withoutReader, "#locations button >> nth=0");
			assertThat(withoutReader.locator("#scan-location").isVisible()).isFalse();

			Page tab = browsers.page(854, 480);
			tab.navigate("http://127.0.0.1:" + this.port + "/glasses/?as=nurse.anna");
			CallPages.visible(tab, "#locations button >> nth=0");
			assertThat(tab.locator("#scan-location").isVisible()).isFalse();
			assertThat(tab.evaluate("() => window.Beeldzorg.glassesDevice.barcode.available()")).isEqualTo(false);
		}
	}

	@Test
	void inzoomenAndUitzoomenZoomTheCameraTrackWithinTheDevicesRange() throws Exception {
		present("so.sophie");
		pair("zga-de-sprengel");
		try (Browsers browsers = Browsers.launch()) {
			// The device's camera goes to 4x, the track says 5x: 4x is the limit.
			Page glasses = glasses(browsers, bridge(false, "{\"camera\":\"0\",\"min\":1,\"max\":4}"), ZOOMING_TRACK);
			CallPages.visible(glasses, "#client-ref");
			glasses.locator("#client-ref").fill("K-2024");
			glasses.locator("#start").click();
			CallPages.visible(glasses, "#call");
			CallPages.visible(glasses, "#zoom-in");
			assertThat(glasses.locator("#zoom-in").textContent()).isEqualTo("INZOOMEN");
			assertThat(glasses.locator("#zoom-out").textContent()).isEqualTo("UITZOOMEN");
			assertThat(glasses.locator("#zoom-level").textContent()).isEqualTo("Zoom 1×");

			for (int i = 0; i < 6; i++) {
				glasses.locator("#zoom-in").click();
			}
			glasses.waitForFunction("() => document.getElementById('zoom-level').textContent === 'Zoom 4×'");
			assertThat(glasses.evaluate("() => window.zoomsAsked.join(' ')")).isEqualTo("1.5 2 3 4");
			glasses.locator("#zoom-out").click();
			glasses.waitForFunction("() => document.getElementById('zoom-level').textContent === 'Zoom 3×'");
			glasses.locator("#zoom-out").click();
			glasses.locator("#zoom-out").click();
			glasses.waitForFunction("() => document.getElementById('zoom-level').textContent === 'Zoom 1,5×'");
			// The buttons sit over the camera picture; nothing scrolls at 854x480.
			assertThat(glasses.evaluate("() => document.scrollingElement.scrollHeight <= innerHeight")).isEqualTo(true);
			assertThat(glasses.locator("#zoom-in").boundingBox().height).isGreaterThanOrEqualTo(52);
			shot(glasses, "glasses-zoom-854x480");
		}
	}

	@Test
	void noZoomCommandsWhereTheTrackDoesNotZoom() {
		present("so.sophie");
		pair("zga-de-sprengel");
		try (Browsers browsers = Browsers.launch()) {
			Page glasses = glasses(browsers, bridge(true, "{\"camera\":\"0\",\"min\":1,\"max\":4}"),
					"MediaStreamTrack.prototype.getCapabilities = function () { return {}; };");
			CallPages.visible(glasses, "#client-ref");
			glasses.locator("#client-ref").fill("K-2025");
			glasses.locator("#start").click();
			CallPages.visible(glasses, "#call");
			CallPages.visible(glasses, "#mute");
			assertThat(glasses.locator("#zoom").isVisible()).isFalse();
			assertThat(glasses.locator("#zoom-in").isVisible()).isFalse();
		}
	}

	private static void shot(Page page, String name) throws java.io.IOException {
		Path directory = Path.of("target", "screenshots");
		Files.createDirectories(directory);
		page.screenshot(new Page.ScreenshotOptions().setPath(directory.resolve(name + ".png")));
	}

}
