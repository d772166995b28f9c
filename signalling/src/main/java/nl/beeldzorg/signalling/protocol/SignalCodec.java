package nl.beeldzorg.signalling.protocol;

import nl.beeldzorg.signalling.SignallingError;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON codec of the protocol. Decoding never throws: bad input becomes a
 * {@link Decoded} that carries the {@link SignallingError} to answer with.
 */
public final class SignalCodec {

	private final ObjectReader reader;

	private final ObjectWriter writer;

	/** A codec with the protocol's settings (unknown fields ignored, nulls omitted). */
	public SignalCodec() {
		ObjectMapper mapper = JsonMapper.builder()
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.build();
		// Reader and writer are immutable and thread-safe: made once, not per frame.
		this.reader = mapper.readerFor(SignalMessage.class);
		this.writer = mapper.writerFor(SignalMessage.class);
	}

	/**
	 * Encodes one message as a JSON text frame.
	 * @param message the message
	 * @return its JSON, with {@code type} first
	 */
	public String encode(SignalMessage message) {
		return this.writer.writeValueAsString(message);
	}

	/**
	 * Decodes one text frame.
	 * @param frame the frame's text
	 * @return the message, or the error that describes what is wrong with it
	 */
	public Decoded decode(String frame) {
		if (!startsAnObject(frame)) {
			return Decoded.failed(SignallingError.MALFORMED, "A frame is one JSON object");
		}
		try {
			SignalMessage message = this.reader.readValue(frame);
			if (message == null) {
				return Decoded.failed(SignallingError.MALFORMED, "The frame is JSON null");
			}
			if (message instanceof SignalMessage.MediaState mediaState) {
				String problem = problemOf(mediaState);
				if (problem != null) {
					return Decoded.failed(SignallingError.INVALID_MEDIA_STATE, problem);
				}
			}
			return new Decoded(message, null, null);
		}
		catch (InvalidTypeIdException ex) {
			return Decoded.failed(SignallingError.UNKNOWN_TYPE, (ex.getTypeId() != null)
					? "Unknown message type '" + ex.getTypeId() + "'" : "The message has no type");
		}
		catch (StreamReadException ex) {
			return Decoded.failed(SignallingError.MALFORMED, "The frame is not valid JSON");
		}
		catch (JacksonException ex) {
			return Decoded.failed(SignallingError.INVALID_MESSAGE,
					"A field has the wrong shape: " + ex.getOriginalMessage());
		}
	}

	/**
	 * What is wrong with a media state: its state, or a figure no browser can measure.
	 * Ranges are generous; they keep nonsense out of the programme's figures.
	 */
	private static @Nullable String problemOf(SignalMessage.MediaState message) {
		if (message.state() == null || !SignalMessage.MediaState.STATES.contains(message.state())) {
			return "state must be one of connecting, connected, disconnected, failed";
		}
		SignalMessage.MediaStats stats = message.stats();
		if (stats == null) {
			return null;
		}
		if (outOfRange(stats.rttMs(), 60_000)) {
			return "stats.rttMs must be between 0 and 60000";
		}
		if (outOfRange(stats.lossPct(), 100)) {
			return "stats.lossPct must be between 0 and 100";
		}
		if (outOfRange(stats.kbpsIn(), 1_000_000) || outOfRange(stats.kbpsOut(), 1_000_000)) {
			return "stats.kbpsIn and stats.kbpsOut must be between 0 and 1000000";
		}
		if (outOfRange(stats.width(), 16_384) || outOfRange(stats.height(), 16_384)) {
			return "stats.width and stats.height must be between 0 and 16384";
		}
		return null;
	}

	private static boolean outOfRange(@Nullable Number value, double max) {
		if (value == null) {
			return false;
		}
		double v = value.doubleValue();
		return !(v >= 0 && v <= max);
	}

	private static boolean startsAnObject(String frame) {
		for (int i = 0; i < frame.length(); i++) {
			char c = frame.charAt(i);
			if (!Character.isWhitespace(c)) {
				return c == '{';
			}
		}
		return false;
	}

	/**
	 * The result of decoding a frame: either a message or an error.
	 *
	 * @param message the message, when the frame was good
	 * @param error what was wrong, when it was not
	 * @param detail explanation of the error
	 */
	public record Decoded(@Nullable SignalMessage message, @Nullable SignallingError error, @Nullable String detail) {

		static Decoded failed(SignallingError error, String detail) {
			return new Decoded(null, error, detail);
		}

	}

}
