package nl.beeldzorg.bench;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import com.microsoft.playwright.Page;
import nl.beeldzorg.support.Browsers;
import nl.beeldzorg.support.CallPages;

/**
 * The call benchmark: how long from the consultant's tap on "Accept" until media flows on
 * both sides (every peer connection connected, audio and video bytes received), in
 * Debian's Chromium with its fake camera and microphone, against the backend in demo
 * mode. One warm-up consult, then {@code --runs} measured ones.
 *
 * <pre>
 * java -jar bench.jar calls [--runs 9] [--backend-jar PATH]
 * </pre>
 */
final class CallBench {

	private CallBench() {
	}

	static void main(List<String> args) throws Exception {
		int runs = 9;
		String backendJar = "backend/target/backend-0.1.0-SNAPSHOT.jar";
		for (int i = 0; i < args.size(); i++) {
			switch (args.get(i)) {
				case "--runs" -> runs = Integer.parseInt(args.get(++i));
				case "--backend-jar" -> backendJar = args.get(++i);
				default -> throw new IllegalArgumentException("unknown option " + args.get(i));
			}
		}
		System.setProperty("beeldzorg.browser.console", "errors");
		Path work = Files.createTempDirectory("beeldzorg-call-bench");
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		try (ServerProcess backend = ServerProcess.start("backend",
				List.of("-Xmx1g", "-jar", new File(backendJar).getAbsolutePath(), "--spring.profiles.active=demo",
						"--server.port=" + port, "--logging.level.root=WARN"),
				work.toFile(), work.resolve("backend.log").toFile()); Browsers browsers = Browsers.launch()) {
			String base = "http://127.0.0.1:" + port;
			backend.awaitUp(base + "/actuator/health");
			CallPages pages = new CallPages(browsers, base);
			pages.signIn("nurse.anna", "so.sophie");
			List<Double> glassesMs = new ArrayList<>();
			List<Double> appMs = new ArrayList<>();
			List<Double> bothMs = new ArrayList<>();
			for (int run = 0; run <= runs; run++) {
				double[] times = once(pages, "K-bench-" + run);
				if (run == 0) {
					System.out.printf(Locale.ROOT, "warm-up: glasses %.0f ms, app %.0f ms%n", times[0], times[1]);
					continue;
				}
				glassesMs.add(times[0]);
				appMs.add(times[1]);
				bothMs.add(Math.max(times[0], times[1]));
				System.out.printf(Locale.ROOT, "run %d: media in at the glasses %.0f ms, at the app %.0f ms%n", run,
						times[0], times[1]);
			}
			System.out.println();
			System.out.printf(Locale.ROOT, "%-40s %8s %8s %8s %8s%n", "accept -> media flowing (" + runs + " runs)",
					"median", "p90", "min", "max");
			print("at the glasses (SO's picture and voice)", glassesMs);
			print("at the consultant's app", appMs);
			print("on both sides", bothMs);
		}
	}

	// From the tap on "Accept" (measured here, around Playwright's click) until each page
	// receives media, polled every 20 ms.
	private static double[] once(CallPages pages, String clientRef) {
		pages.startConsult(clientRef);
		Page app = pages.app();
		app.locator("#ringing .accept").first().waitFor();
		long start = System.nanoTime();
		app.locator("#ringing .accept").first().click();
		double glasses = -1;
		double consultant = -1;
		long deadline = start + 30_000_000_000L;
		while ((glasses < 0 || consultant < 0) && System.nanoTime() < deadline) {
			if (glasses < 0 && CallPages.receiving(pages.glasses(), CallPages.GLASSES)) {
				glasses = (System.nanoTime() - start) / 1e6;
			}
			if (consultant < 0 && CallPages.receiving(app, CallPages.APP)) {
				consultant = (System.nanoTime() - start) / 1e6;
			}
			app.waitForTimeout(20);
		}
		if (glasses < 0 || consultant < 0) {
			throw new IllegalStateException("no media within 30 s after accept (" + clientRef + ")");
		}
		pages.endAndReset();
		return new double[] { glasses, consultant };
	}

	private static void print(String what, List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		System.out.printf(Locale.ROOT, "%-40s %5.0f ms %5.0f ms %5.0f ms %5.0f ms%n", what, percentile(sorted, 0.5),
				percentile(sorted, 0.9), sorted.get(0), sorted.get(sorted.size() - 1));
	}

	private static double percentile(List<Double> sorted, double p) {
		int index = (int) Math.ceil(p * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
	}

}
