package nl.beeldzorg.web;

import java.time.Duration;
import java.util.List;

import com.microsoft.playwright.Page;
import nl.beeldzorg.support.CallPages;
import nl.beeldzorg.support.CallPagesTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static nl.beeldzorg.support.CallPages.APP;
import static nl.beeldzorg.support.CallPages.GLASSES;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer on the data channel says "image/jpeg" and sends a web page: the consultant's app
 * looks at the bytes, refuses it in Dutch, and makes no blob URL of it; a real photo
 * still arrives, typed by its bytes.
 */
class PhotoTypeOverDataChannelTests extends CallPagesTests {

	// Every blob URL the page makes, with the type of the blob behind it.
	private static final String COUNT_BLOB_URLS = """
			(() => {
			  const make = URL.createObjectURL.bind(URL);
			  window.blobUrlTypes = [];
			  URL.createObjectURL = (object) => { window.blobUrlTypes.push(object && object.type); return make(object); };
			})();""";

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-photo-type");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void aNonImageClaimingToBeAJpegIsRefusedAndNeverBecomesABlobUrl() throws Exception {
		Page app = this.pages.app();
		app.addInitScript(COUNT_BLOB_URLS);
		app.reload();
		app.locator("#live").filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("Live")).waitFor();
		this.pages.startConsult("K-4711");
		this.pages.accept();
		Page glasses = this.pages.glasses();
		CallPages.awaitMediaFlowing(glasses, GLASSES, Duration.ofSeconds(20));
		CallPages.awaitMediaFlowing(app, APP, Duration.ofSeconds(20));
		app.waitForFunction("() => window.beeldzorgApp.call && window.beeldzorgApp.call.openChannels().length === 1");
		glasses.waitForFunction("() => window.beeldzorgGlasses.call.openChannels().length === 1");

		// The other side sends HTML with a script, calling it a JPEG.
		glasses.evaluate("""
				() => window.beeldzorgGlasses.call.sendPhoto(new Blob(["<html><script>alert(1)</script></html>"],
				  { type: "image/jpeg" }), 10, 10)""");
		app.waitForFunction("() => window.beeldzorgApp.refusedPhotos.length === 1");
		CallPages.visible(app, "#photo-refused");
		assertThat(app.locator("#photo-refused").textContent()).contains("geen foto").contains("geweigerd");
		assertThat(app.locator("#photo-list li.refused").count()).isEqualTo(1);
		assertThat(app.locator("#photo-list img").count()).isZero();
		assertThat(app.evaluate("() => window.beeldzorgApp.photos.length")).isEqualTo(0);
		assertThat(blobUrlTypes(app)).isEmpty();
		this.pages.screenshots("photo-refused");
		app.setViewportSize(390, 844);
		CallPages.visible(app, "#photo-refused");
		app.screenshot(new Page.ScreenshotOptions()
			.setPath(java.nio.file.Path.of("target", "screenshots", "bsn-app-390x844-photo-refused.png")));
		app.setViewportSize(1200, 900);

		// A PNG's bytes said to be a JPEG arrive as what they are.
		glasses.evaluate("""
				async () => {
				  const canvas = document.createElement("canvas");
				  canvas.width = 8; canvas.height = 8;
				  canvas.getContext("2d").fillRect(0, 0, 8, 8);
				  const png = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
				  return window.beeldzorgGlasses.call.sendPhoto(new Blob([png], { type: "image/jpeg" }), 8, 8);
				}""");
		app.waitForFunction("() => window.beeldzorgApp.photos.length === 1");
		assertThat(app.evaluate("() => window.beeldzorgApp.photos[0].blob.type")).isEqualTo("image/png");
		assertThat(blobUrlTypes(app)).containsExactly("image/png");
		assertThat(app.locator("#photo-list a[download]").getAttribute("download")).endsWith(".png");

		// A header that claims more than a photo may weigh is refused before anything is
		// kept.
		glasses.evaluate("""
				() => window.beeldzorgGlasses.call.openChannels()[0].send(JSON.stringify({ type: "photo",
				  id: "x", mime: "image/jpeg", size: 2000000000, sha256: "", width: 1, height: 1, takenAt: "" }))""");
		app.waitForFunction("() => window.beeldzorgApp.refusedPhotos.length === 2");
		assertThat(app.evaluate("() => window.beeldzorgApp.refusedPhotos[1].reason")).isEqualTo("size");
		assertThat(blobUrlTypes(app)).hasSize(1);
	}

	@SuppressWarnings("unchecked")
	private static List<String> blobUrlTypes(Page page) {
		return (List<String>) page.evaluate("() => window.blobUrlTypes");
	}

}
