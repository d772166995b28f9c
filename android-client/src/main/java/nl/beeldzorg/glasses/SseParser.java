package nl.beeldzorg.glasses;

/**
 * Reads a text/event-stream line by line (the WHATWG rules the service needs: event,
 * data, comments, the blank line that ends an event).
 */
public final class SseParser {

	/** Gets each whole event. */
	public interface Listener {

		void onEvent(String name, String data);

	}

	private final Listener listener;

	private String name = "";

	private StringBuilder data = new StringBuilder();

	private boolean hasData;

	public SseParser(Listener listener) {
		this.listener = listener;
	}

	/**
	 * One line, without its line end.
	 * @param line the line
	 */
	public void line(String line) {
		if (line.isEmpty()) {
			if (this.hasData) {
				this.listener.onEvent(this.name.isEmpty() ? "message" : this.name, this.data.toString());
			}
			this.name = "";
			this.data = new StringBuilder();
			this.hasData = false;
			return;
		}
		if (line.startsWith(":")) {
			return;
		}
		int colon = line.indexOf(':');
		String field = (colon < 0) ? line : line.substring(0, colon);
		String value = (colon < 0) ? "" : line.substring(colon + 1);
		if (value.startsWith(" ")) {
			value = value.substring(1);
		}
		if (field.equals("event")) {
			this.name = value;
		}
		else if (field.equals("data")) {
			if (this.hasData) {
				this.data.append('\n');
			}
			this.data.append(value);
			this.hasData = true;
		}
	}

}
