package nl.beeldzorg.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, for browser tests: a page's DOM after its scripts ran, and
 * a screenshot to look at. The README's test command installs it; without it the test
 * fails and says so.
 */
public final class HeadlessChromium {

	private static final String BINARY = System.getenv().getOrDefault("BEELDZORG_TEST_CHROMIUM", "/usr/bin/chromium");

	private HeadlessChromium() {
	}

	/**
	 * @param url the page
	 * @return its DOM once scripts and fetches settled (virtual time budget of 20 s)
	 */
	public static String dom(String url) throws IOException, InterruptedException {
		return run(List.of("--dump-dom", url));
	}

	/**
	 * @param url the page
	 * @param png where to write the screenshot
	 */
	public static void screenshot(String url, Path png) throws IOException, InterruptedException {
		Files.createDirectories(png.getParent());
		run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=1400,1900", "--hide-scrollbars", url));
		if (!Files.exists(png) || Files.size(png) == 0) {
			throw new AssertionError("Chromium wrote no screenshot to " + png);
		}
	}

	private static String run(List<String> args) throws IOException, InterruptedException {
		if (!new File(BINARY).canExecute()) {
			throw new AssertionError("No Chromium at " + BINARY
					+ ": install Debian's chromium (apt-get install chromium), as bin/test does");
		}
		Path profile = Files.createTempDirectory("beeldzorg-chromium");
		List<String> command = new ArrayList<>(List.of(BINARY, "--headless", "--no-sandbox", "--disable-gpu",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=20000"));
		command.addAll(args);
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(90, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("Chromium did not finish within 90 s");
		}
		return out;
	}

}
