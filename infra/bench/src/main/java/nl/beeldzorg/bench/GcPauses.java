package nl.beeldzorg.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The stop-the-world pauses a server JVM logged ({@link #option(Path)}: unified GC
 * logging with wall-clock milliseconds) within a window of wall-clock time, so a latency
 * tail can be set beside the collector's pauses of the same seconds.
 */
final class GcPauses {

	/**
	 * {@code [1764583200123ms] GC(12) Pause Young (Normal) (...) 60M->20M(256M) 5.123ms}.
	 */
	private static final Pattern PAUSE = Pattern.compile("^\\[(\\d+)ms\\].*\\bPause\\b.*?(\\d+(?:\\.\\d+)?)ms$");

	private GcPauses() {
	}

	/**
	 * @param file where the server JVM writes its GC log
	 * @return the JVM option that makes it do so
	 */
	static String option(Path file) {
		return "-Xlog:gc:file=" + file.toAbsolutePath() + ":timemillis";
	}

	/**
	 * @param file the GC log
	 * @param fromMillis window start, epoch milliseconds
	 * @param toMillis window end, epoch milliseconds
	 * @return the pauses that began within the window: count, sum and longest
	 */
	static String within(Path file, long fromMillis, long toMillis) {
		List<String> lines;
		try {
			lines = Files.readAllLines(file);
		}
		catch (IOException ex) {
			return "no GC log";
		}
		return within(lines, fromMillis, toMillis);
	}

	/**
	 * @param directory where the logs are
	 * @param prefix how their names begin
	 * @param fromMillis window start, epoch milliseconds
	 * @param toMillis window end, epoch milliseconds
	 * @return the pauses of all those logs that began within the window
	 */
	static String within(Path directory, String prefix, long fromMillis, long toMillis) {
		List<String> lines = new ArrayList<>();
		try (Stream<Path> files = Files.list(directory)) {
			for (Path file : files.filter((f) -> f.getFileName().toString().startsWith(prefix)).toList()) {
				lines.addAll(Files.readAllLines(file));
			}
		}
		catch (IOException ex) {
			return "no GC log";
		}
		return within(lines, fromMillis, toMillis);
	}

	private static String within(List<String> lines, long fromMillis, long toMillis) {
		int count = 0;
		double sum = 0;
		double longest = 0;
		for (String line : lines) {
			Matcher matcher = PAUSE.matcher(line.trim());
			if (matcher.matches()) {
				long at = Long.parseLong(matcher.group(1));
				if (at >= fromMillis && at <= toMillis) {
					double ms = Double.parseDouble(matcher.group(2));
					count++;
					sum += ms;
					longest = Math.max(longest, ms);
				}
			}
		}
		return String.format(Locale.ROOT, "GC pauses %d, %.0f ms in all, longest %.0f ms", count, sum, longest);
	}

}
