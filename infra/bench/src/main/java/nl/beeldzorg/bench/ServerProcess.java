package nl.beeldzorg.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test in a JVM of its own, so its heap is measured apart from the load
 * generator's: heap used after a full GC, read with {@code jcmd}.
 */
final class ServerProcess implements AutoCloseable {

	private static final Pattern USED = Pattern.compile("used (\\d+)K");

	private final Process process;

	private final String name;

	private ServerProcess(String name, Process process) {
		this.name = name;
		this.process = process;
	}

	/**
	 * A node's JVM options: the heap, G1 unless an option names another collector
	 * ({@code -XX:+UseZGC}, ...), then the options.
	 * @param heap e.g. {@code -Xmx1g}
	 * @param options the benchmark's {@code --node-jvm} options
	 * @return the options in that order
	 */
	static List<String> jvmOptions(String heap, List<String> options) {
		List<String> command = new ArrayList<>(List.of(heap));
		if (options.stream().noneMatch((option) -> option.matches("-XX:\\+Use\\w+GC"))) {
			command.add("-XX:+UseG1GC");
		}
		command.addAll(options);
		return command;
	}

	static ServerProcess start(String name, List<String> command, File directory, File log) throws IOException {
		List<String> full = new ArrayList<>();
		full.add(javaBinary());
		full.addAll(command);
		Process process = new ProcessBuilder(full).directory(directory)
			.redirectErrorStream(true)
			.redirectOutput(log)
			.start();
		return new ServerProcess(name, process);
	}

	/** Waits until {@code url} answers 200, at most five minutes. */
	void awaitUp(String url) throws InterruptedException {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		// Five minutes: on a shared machine under load a cold start can take more than
		// two.
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with " + this.process.exitValue());
			}
			try {
				HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
						HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not yet listening
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException(this.name + " did not come up at " + url);
	}

	/** Heap in use after a full GC, in bytes. */
	long heapAfterGc() throws IOException, InterruptedException {
		jcmd("GC.run");
		jcmd("GC.run");
		String info = jcmd("GC.heap_info");
		Matcher matcher = USED.matcher(info);
		if (!matcher.find()) {
			throw new IllegalStateException("no heap figure in: " + info);
		}
		return Long.parseLong(matcher.group(1)) * 1024;
	}

	private String jcmd(String command) throws IOException, InterruptedException {
		Process jcmd = new ProcessBuilder(jcmdBinary(), Long.toString(this.process.pid()), command)
			.redirectErrorStream(true)
			.start();
		String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		jcmd.waitFor();
		return out;
	}

	private static String javaBinary() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	private static String jcmdBinary() {
		File java = new File(javaBinary());
		File jcmd = new File(java.getParentFile(), "jcmd");
		return jcmd.canExecute() ? jcmd.getPath() : "jcmd";
	}

	/** Kills the JVM without warning ({@code SIGKILL}) and waits until it is gone. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor();
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

}
