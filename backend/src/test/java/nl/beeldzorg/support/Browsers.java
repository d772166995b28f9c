package nl.beeldzorg.support;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * Debian's Chromium driven by Playwright, headless, with Chromium's fake camera (a moving
 * test pattern) and fake microphone (a beep), and no permission prompts: real pages, real
 * peer connections, real media. Each page gets its own browser context (its own storage,
 * as a separate phone or pair of glasses would have).
 */
public final class Browsers implements AutoCloseable {

	private static final String BINARY = System.getenv().getOrDefault("BEELDZORG_TEST_CHROMIUM", "/usr/bin/chromium");

	private final Playwright playwright;

	private final Browser browser;

	private Browsers(Playwright playwright, Browser browser) {
		this.playwright = playwright;
		this.browser = browser;
	}

	/**
	 * @param extraArgs further Chromium switches (a video file as the fake camera, say)
	 * @return a running headless Chromium
	 */
	public static Browsers launch(String... extraArgs) {
		if (!new File(BINARY).canExecute()) {
			throw new AssertionError("No Chromium at " + BINARY
					+ ": install Debian's chromium (apt-get install chromium), as bin/test does");
		}
		List<String> args = new java.util.ArrayList<>(
				List.of("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
						"--autoplay-policy=no-user-gesture-required", "--no-sandbox", "--disable-gpu"));
		args.addAll(List.of(extraArgs));
		Playwright playwright = Playwright.create();
		Browser browser = playwright.chromium()
			.launch(new BrowserType.LaunchOptions().setExecutablePath(Path.of(BINARY)).setHeadless(true).setArgs(args));
		return new Browsers(playwright, browser);
	}

	/**
	 * @param width viewport width
	 * @param height viewport height
	 * @return a new page in a fresh context with camera and microphone allowed
	 */
	public Page page(int width, int height) {
		BrowserContext context = this.browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height)
			.setPermissions(List.of("camera", "microphone")));
		Page page = context.newPage();
		page.setDefaultTimeout(20_000);
		// The page's own errors end up in the test output, where a failure is diagnosed.
		boolean errorsOnly = "errors".equals(System.getProperty("beeldzorg.browser.console"));
		page.onConsoleMessage((message) -> {
			if ("error".equals(message.type()) || (!errorsOnly && !"debug".equals(message.type()))) {
				System.out.println("[browser " + message.type() + "] " + message.text());
			}
		});
		page.onPageError((error) -> System.out.println("[browser page error] " + error));
		return page;
	}

	@Override
	public void close() {
		this.browser.close();
		this.playwright.close();
	}

}
