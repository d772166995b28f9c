package nl.beeldzorg.signalling;

/**
 * No media server can record this room now (peer-to-peer only, or every media server is
 * unreachable).
 */
public class RecordingUnavailableException extends RuntimeException {

	/**
	 * @param message why
	 */
	public RecordingUnavailableException(String message) {
		super(message);
	}

}
