package nl.beeldzorg.signalling;

/**
 * A {@link JoinAuthorizer}'s refusal, with the error to send to the client.
 */
public class JoinRejectedException extends RuntimeException {

	private final SignallingError error;

	/**
	 * Creates a refusal.
	 * @param error what to tell the client; it should be one that closes the connection
	 * @param message the explanation sent to the client
	 */
	public JoinRejectedException(SignallingError error, String message) {
		super(message, null, false, false);
		this.error = error;
	}

	/**
	 * @return the error sent to the client
	 */
	public SignallingError error() {
		return this.error;
	}

}
