package nl.beeldzorg.glasses;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the caller's event stream ({@code GET /api/v1/events}) open so the glasses can be
 * called back: reconnects after every drop with {@link Backoff}, which starts over once a
 * stream held. Stops when signed out, when stopped, or when the backend closed this
 * stream for a newer one ({@code stream.closed}: reconnecting would close that one in
 * turn).
 */
public final class EventStream {

	/** What the stream tells. */
	public interface Listener {

		void onOpen();

		void onEvent(String name, String data);

		/** The stream dropped; the next try is in {@code delayMillis}. */
		void onDrop(long delayMillis);

		/** No more reconnects: signed out, or replaced by a newer stream. */
		void onStopped(String reason);

	}

	private final Origin backend;

	private final Session session;

	private final Backoff backoff;

	private final DeviceGrantClient.Clock clock;

	private volatile boolean stopped;

	private volatile HttpURLConnection connection;

	/** The stream's path and query. */
	private final String path;

	public EventStream(Origin backend, Session session, Backoff backoff, DeviceGrantClient.Clock clock) {
		this(backend, "/api/v1/events", session, backoff, clock);
	}

	/**
	 * @param path the stream's path and query: {@code /api/v1/events?glasses=<deviceId>}
	 * for glasses the SO may call back
	 */
	public EventStream(Origin backend, String path, Session session, Backoff backoff, DeviceGrantClient.Clock clock) {
		this.path = path;
		this.backend = backend;
		this.session = session;
		this.backoff = backoff;
		this.clock = clock;
	}

	/**
	 * Runs until stopped; call on a thread of its own.
	 * @param listener gets the events
	 */
	public void run(Listener listener) {
		while (!this.stopped) {
			String token = this.session.accessToken();
			if (token == null) {
				listener.onStopped("signed-out");
				return;
			}
			final boolean[] replaced = { false };
			try {
				HttpURLConnection opened = (HttpURLConnection) new URL(this.backend.resolve(this.path))
					.openConnection();
				this.connection = opened;
				opened.setRequestProperty("Authorization", "Bearer " + token);
				opened.setRequestProperty("Accept", "text/event-stream");
				opened.setConnectTimeout(15_000);
				// The backend writes a keep-alive comment well within this.
				opened.setReadTimeout(90_000);
				int status = opened.getResponseCode();
				if (status == 401) {
					// The token was refused: the next round refreshes it (or signs out).
					throw new IOException("events 401");
				}
				if (status != 200) {
					throw new IOException("events " + status);
				}
				listener.onOpen();
				SseParser parser = new SseParser((name, data) -> {
					this.backoff.reset();
					if (name.equals("stream.closed")) {
						replaced[0] = true;
					}
					listener.onEvent(name, data);
				});
				try (BufferedReader reader = new BufferedReader(
						new InputStreamReader(opened.getInputStream(), StandardCharsets.UTF_8))) {
					String line;
					while (!this.stopped && (line = reader.readLine()) != null) {
						this.backoff.reset();
						parser.line(line);
					}
				}
			}
			catch (IOException ex) {
				// dropped; reconnect below
			}
			finally {
				HttpURLConnection open = this.connection;
				if (open != null) {
					open.disconnect();
				}
			}
			if (replaced[0]) {
				listener.onStopped("replaced");
				return;
			}
			if (this.stopped) {
				break;
			}
			long delay = this.backoff.nextDelayMillis();
			listener.onDrop(delay);
			try {
				this.clock.sleep(delay);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		listener.onStopped("stopped");
	}

	/**
	 * Ends the stream (from any thread): disconnects, and at the latest the next line
	 * (the backend's keep-alive comment) ends the loop.
	 */
	public void stop() {
		this.stopped = true;
		HttpURLConnection open = this.connection;
		if (open != null) {
			open.disconnect();
		}
	}

}
