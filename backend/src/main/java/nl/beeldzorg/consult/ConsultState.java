package nl.beeldzorg.consult;

/**
 * Where a consult is: {@code RINGING → ACTIVE → ENDED}, or {@code RINGING → CANCELLED} or
 * {@code MISSED}.
 */
public enum ConsultState {

	/** Waiting for a consultant to accept. */
	/** A video IMOZ consult booked ahead; it starts ringing at its scheduled moment. */
	SCHEDULED,

	RINGING,

	/** Accepted; the call is on. */
	ACTIVE,

	/** Over. */
	ENDED,

	/** Withdrawn by the requester while ringing. */
	CANCELLED,

	/** Nobody accepted in time. */
	MISSED;

	/**
	 * @return whether nothing more can happen to the consult
	 */
	public boolean isFinal() {
		return this == ENDED || this == CANCELLED || this == MISSED;
	}

}
