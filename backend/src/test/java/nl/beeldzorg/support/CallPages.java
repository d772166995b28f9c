package nl.beeldzorg.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;

/**
 * The glasses page and the consultant's app side by side in Chromium, driven as a nurse
 * and a doctor would: sign in, start, accept, and watch media flow.
 */
public final class CallPages {

	/** The global the consultant's app keeps its state in. */
	public static final String APP = "beeldzorgApp";

	/** The global the glasses page keeps its state in. */
	public static final String GLASSES = "beeldzorgGlasses";

	// True when every peer connection of the page is connected and received more audio
	// and
	// video bytes in the last half second than before.
	private static final String FLOWING = """
			async (name) => {
			  const call = window[name] && window[name].call;
			  if (!call) { return null; }
			  const before = await call.stats();
			  await new Promise((resolve) => setTimeout(resolve, 500));
			  const after = await call.stats();
			  const ids = Object.keys(after);
			  const flowing = ids.length > 0 && ids.every((id) => after[id].state === "connected" && before[id]
			    && after[id].audioIn > before[id].audioIn && after[id].videoIn > before[id].videoIn);
			  return { flowing, stats: after };
			}""";

	private final String base;

	private final Page glasses;

	private final Page app;

	/**
	 * @param browsers the browser
	 * @param base the backend's address
	 */
	public CallPages(Browsers browsers, String base) {
		this.base = base;
		this.glasses = browsers.page(1280, 800);
		this.app = browsers.page(1200, 900);
	}

	/**
	 * @return the glasses page
	 */
	public Page glasses() {
		return this.glasses;
	}

	/**
	 * @return the consultant's app
	 */
	public Page app() {
		return this.app;
	}

	/**
	 * Opens both pages signed in as demo users.
	 * @param nurse the nurse on the glasses
	 * @param consultant the consultant on the app
	 */
	public void signIn(String nurse, String consultant) {
		this.glasses.navigate(this.base + "/glasses/?trace=1&as=" + nurse);
		this.app.navigate(this.base + "/app/?trace=1&as=" + consultant);
		this.glasses.locator("#locations button").first().waitFor();
		this.app.locator("#live")
			.filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("Live"))
			.waitFor();
	}

	/**
	 * The nurse picks the first location, types the client and says "Start consult".
	 * @param clientRef the client reference
	 */
	public void startConsult(String clientRef) {
		this.glasses.locator("#locations button").first().click();
		this.glasses.locator("#client-ref").fill(clientRef);
		this.glasses.locator("#start").click();
		this.glasses.locator("#call").waitFor();
	}

	/**
	 * The consultant taps "Accept" on the ringing consult.
	 */
	public void accept() {
		this.app.locator("#ringing .accept").first().click();
		this.app.locator("#call").waitFor();
	}

	/**
	 * @param page the page
	 * @param global {@link #APP} or {@link #GLASSES}
	 * @param timeout how long to wait
	 * @return the page's call statistics once media flows in on every peer connection
	 */
	public static Map<String, Map<String, Object>> awaitMediaFlowing(Page page, String global, Duration timeout) {
		return awaitMediaFlowing(page, global, 1, timeout);
	}

	/**
	 * @param page the page
	 * @param global {@link #APP} or {@link #GLASSES}
	 * @param peers how many peer connections the page must have (a three-way call: 2)
	 * @param timeout how long to wait
	 * @return the page's call statistics once it has that many peer connections and media
	 * flows in on every one
	 */
	@SuppressWarnings("unchecked")
	public static Map<String, Map<String, Object>> awaitMediaFlowing(Page page, String global, int peers,
			Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		Object last = null;
		while (System.nanoTime() < deadline) {
			Map<String, Object> result = (Map<String, Object>) page.evaluate(FLOWING, global);
			if (result != null && Boolean.TRUE.equals(result.get("flowing"))
					&& ((Map<?, ?>) result.get("stats")).size() >= peers) {
				return (Map<String, Map<String, Object>>) result.get("stats");
			}
			last = result;
			page.waitForTimeout(100);
		}
		throw new AssertionError("No media flowing into " + global + " within " + timeout + ": " + last);
	}

	/**
	 * @param page the page
	 * @param global {@link #APP} or {@link #GLASSES}
	 * @return whether every peer connection of the page is connected and has received
	 * audio and video bytes (one look, no waiting: for timing)
	 */
	public static boolean receiving(Page page, String global) {
		return Boolean.TRUE.equals(page.evaluate(
				"""
						async (name) => {
						  const call = window[name] && window[name].call;
						  if (!call) { return false; }
						  const peers = Object.values(await call.stats());
						  return peers.length > 0 && peers.every((p) => p.state === "connected" && p.audioIn > 0 && p.videoIn > 0);
						}""",
				global));
	}

	/**
	 * The consultant ends the call and skips the outcome form; the nurse is back at the
	 * start, ready for the next consult.
	 */
	public void endAndReset() {
		this.app.locator("#end").click();
		this.app.locator("#outcome-skip").click();
		this.app.locator("#inbox").waitFor();
		this.glasses.locator("#again").click();
		this.glasses.locator("#home").waitFor();
	}

	/**
	 * @param page the page
	 * @param global {@link #APP} or {@link #GLASSES}
	 * @return the call's statistics per peer
	 */
	@SuppressWarnings("unchecked")
	public static Map<String, Map<String, Object>> stats(Page page, String global) {
		return (Map<String, Map<String, Object>>) page
			.evaluate("async (name) => window[name].call ? window[name].call.stats() : {}", global);
	}

	/**
	 * Writes a screenshot of both pages under {@code target/screenshots}.
	 * @param name what the pages show
	 */
	public void screenshots(String name) throws java.io.IOException {
		Path directory = Path.of("target", "screenshots");
		Files.createDirectories(directory);
		this.glasses.screenshot(new Page.ScreenshotOptions().setPath(directory.resolve("glasses-" + name + ".png")));
		this.app.screenshot(new Page.ScreenshotOptions().setPath(directory.resolve("app-" + name + ".png")));
	}

	/**
	 * @param page a page
	 * @param selector an element that should become visible
	 */
	public static void visible(Page page, String selector) {
		page.locator(selector)
			.waitFor(new com.microsoft.playwright.Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE)
				.setTimeout(20_000));
	}

}
